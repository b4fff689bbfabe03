/**
 * The renderer's composition root: the host bridge, the typed API client (same origin: the host
 * forwards `/trpc` to the API), the connection monitor, TanStack Query with its cache persisted for
 * offline reading, and the outbox replay. Built once in main.tsx and handed down through DeskContext.
 */
import { alternativesOf, createAskProAIClient, errorCodeOf, isUnreachable, reasonOf, type AskProAIClient } from "@askproai/client";
import { onlineManager, QueryCache, QueryClient, type Query } from "@tanstack/react-query";
import type { PersistedClient, Persister } from "@tanstack/react-query-persist-client";
import { EventSource } from "eventsource";
import type { DeskBridge, StoredSession } from "../../../shared/bridge";
import type { OutboxOperation, OutboxProblem } from "../../../shared/outbox";
import { OutboxSync } from "../features/offline/sync";
import { resolveBridge } from "../platform/bridge";
import { ConnectionMonitor } from "./connection";
import { PERSISTED_ROOTS } from "./keys";

export interface Desk {
  bridge: DeskBridge;
  api: AskProAIClient;
  monitor: ConnectionMonitor;
  queryClient: QueryClient;
  persister: Persister;
  outbox: OutboxSync;
  session: { current: StoredSession | null };
  /** Called when the API says the session is no longer valid. */
  onSessionExpired: { current: () => void };
}

/** A week of calendar stays readable offline. */
export const CACHE_MAX_AGE_MS = 7 * 24 * 3_600_000;

export const describeProblem = (error: unknown): OutboxProblem => ({
  code: errorCodeOf(error) ?? null,
  message: error instanceof Error ? error.message.slice(0, 2000) : String(error).slice(0, 2000),
  reason: reasonOf(error) ?? null,
  alternatives: alternativesOf(error).slice(0, 10),
});

export const sendOperation = (api: AskProAIClient, operation: OutboxOperation): Promise<unknown> => {
  switch (operation.kind) {
    case "create":
      return api.appointments.create.mutate(operation.input);
    case "reschedule":
      return api.appointments.reschedule.mutate(operation.input);
    case "cancel":
      return api.appointments.cancel.mutate(operation.input);
    case "markNoShow":
      return api.appointments.markNoShow.mutate(operation.input);
    case "complete":
      return api.appointments.complete.mutate(operation.input);
  }
};

/**
 * The calendar cache in localStorage, written at most every 300 ms. A full storage (quota) keeps the
 * previous copy rather than failing the app: the calendar still works online.
 */
export const storagePersister = (storage: Storage, key: string): Persister => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let latest: PersistedClient | null = null;
  const write = () => {
    timer = null;
    try {
      if (latest) storage.setItem(key, JSON.stringify(latest));
    } catch {
      // quota exceeded: keep the last copy that fitted
    }
  };
  return {
    persistClient: (client) => {
      latest = client;
      timer ??= setTimeout(write, 300);
    },
    restoreClient: () => {
      try {
        const raw = storage.getItem(key);
        return raw ? (JSON.parse(raw) as PersistedClient) : undefined;
      } catch {
        return undefined;
      }
    },
    removeClient: () => {
      latest = null;
      storage.removeItem(key);
    },
  };
};

export const createDesk = (origin = window.location.origin): Desk => {
  const bridge = resolveBridge();
  const monitor = new ConnectionMonitor(`${origin}/healthz`);
  const session: Desk["session"] = { current: null };
  const onSessionExpired: Desk["onSessionExpired"] = { current: () => undefined };
  const api = createAskProAIClient({
    url: `${origin}/trpc`,
    getToken: () => session.current?.token,
    fetch: monitor.fetch,
    EventSource,
    clientName: "desktop",
  });

  // TanStack pauses queries while "offline": offline is what the monitor says, not navigator.onLine.
  onlineManager.setEventListener((setOnline) => monitor.subscribe((state) => setOnline(state === "online")));

  const queryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (errorCodeOf(error) === "UNAUTHORIZED") onSessionExpired.current();
      },
    }),
    defaultOptions: {
      queries: {
        gcTime: CACHE_MAX_AGE_MS,
        staleTime: 15_000,
        retry: (failures, error) => isUnreachable(error) && failures < 2,
        refetchOnWindowFocus: true,
      },
    },
  });

  const persister = storagePersister(window.localStorage, "askproai.query-cache.v1");

  const outbox = new OutboxSync({
    store: bridge.outbox,
    send: (operation) => sendOperation(api, operation),
    isUnreachable,
    mustWait: (error) => errorCodeOf(error) === "UNAUTHORIZED",
    describe: describeProblem,
    canSend: () => monitor.current === "online" && session.current !== null,
    alreadyApplied: async (operation, error) => {
      if (operation.kind !== "reschedule" || errorCodeOf(error) !== "PRECONDITION_FAILED") return false;
      const now = await api.appointments.get.query({ id: operation.input.id });
      return Date.parse(now.start) === Date.parse(operation.input.start) && (!operation.input.staffId || now.staffId === operation.input.staffId);
    },
    onSent: () => void queryClient.invalidateQueries({ queryKey: ["appointments"] }),
    onUnreachable: () => monitor.reportUnreachable(),
  });

  monitor.subscribe((state) => {
    if (state === "online") void outbox.flush().then(() => queryClient.invalidateQueries({ queryKey: ["appointments"] }));
  });

  return { bridge, api, monitor, queryClient, persister, outbox, session, onSessionExpired };
};

/** Only calendar data is kept for offline reading (not searches, slots or debug answers). */
export const shouldPersistQuery = (query: Query) => query.state.status === "success" && PERSISTED_ROOTS.includes(String(query.queryKey[0]));
