import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { closeDb, createDb, type Db } from "../client.js";
import "./provided-context.js";
import { cloneDatabase, dropDatabase } from "./databases.js";

export * from "./databases.js";

export interface ScratchDatabase {
  url: string;
  name: string;
  db: Db;
  drop(): Promise<void>;
}

/** A fresh database for one test file, cloned from the run's migrated template. */
export const createScratchDatabase = async (): Promise<ScratchDatabase> => {
  const template = inject("templateDb");
  const name = `${inject("runPrefix")}${randomBytes(4).toString("hex")}`;
  const url = await cloneDatabase(template, name);
  const db = createDb({ url, poolSize: 30 });
  return {
    url,
    name,
    db,
    async drop() {
      await closeDb(db);
      await dropDatabase(name);
    },
  };
};

/** A Redis key prefix unique to one test file, so files running in parallel never share keys. */
export const scratchRedisPrefix = () => `askproai-test:${randomBytes(4).toString("hex")}:`;
export * from "./fixtures.js";

export * from "./operations.js";
export * from "./messaging.js";
export * from "./tcp-proxy.js";
export * from "./calendar.js";
