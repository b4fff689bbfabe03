/** What the operators' commands share: configuration that fails clearly, database failures in words. */
import { ConfigError, loadConfig, type AppConfig } from "@askproai/shared/server";

export const loadConfigOrExit = (): AppConfig => {
  try {
    return loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? `✗ ${error.message}` : error);
    process.exit(1);
  }
};

/** A failure to reach or use the database as one line a person can act on, or null for anything else. */
export const databaseProblem = (error: unknown): string | null => {
  const text = String((error as { message?: unknown }).message ?? error) + JSON.stringify(error);
  if (/DatabaseDoesNotExist|does not exist/i.test(text)) return "the database of DATABASE_URL does not exist (or is not migrated); start the app once (npm start) or run npm run db:migrate";
  if (/ECONNREFUSED|DatabaseNotReachable|ETIMEDOUT/i.test(text)) return "PostgreSQL does not answer at DATABASE_URL";
  return null;
};
