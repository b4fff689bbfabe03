/** Appointments that just changed live, for a subtle highlight of a few seconds. */
const HIGHLIGHT_MS = 4_000;
const changedAt = new Map<string, number>();
const listeners = new Set<() => void>();
let version = 0;

export const markChanged = (id: string) => {
  changedAt.set(id, Date.now());
  version++;
  for (const listener of listeners) listener();
  setTimeout(() => {
    version++;
    for (const listener of listeners) listener();
  }, HIGHLIGHT_MS + 50);
};

export const isRecentlyChanged = (id: string | null) => id !== null && Date.now() - (changedAt.get(id) ?? 0) < HIGHLIGHT_MS;

export const recentStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  snapshot: () => version,
};
