/**
 * The login session in main, so a restart (or an outage) does not log the desk out. Encrypted with
 * the OS keychain through `safeStorage` when it is available; otherwise kept in memory only (the user
 * logs in again after a restart rather than having a token in a plain file).
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { SafeStorage } from "electron";
import { storedSession, type StoredSession } from "../shared/bridge.js";

export interface SessionStore {
  get(): Promise<StoredSession | null>;
  set(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

export const createSessionStore = (file: string, safeStorage: Pick<SafeStorage, "isEncryptionAvailable" | "encryptString" | "decryptString">): SessionStore => {
  let memory: StoredSession | null = null;
  const encrypted = () => safeStorage.isEncryptionAvailable();
  return {
    async get() {
      if (memory) return memory;
      if (!encrypted()) return null;
      try {
        const parsed = storedSession.safeParse(JSON.parse(safeStorage.decryptString(await readFile(file))));
        memory = parsed.success ? parsed.data : null;
      } catch {
        memory = null;
      }
      return memory;
    },
    async set(session) {
      memory = session;
      if (!encrypted()) return;
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, safeStorage.encryptString(JSON.stringify(session)), { mode: 0o600 });
    },
    async clear() {
      memory = null;
      await rm(file, { force: true });
    },
  };
};
