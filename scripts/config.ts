/** The configuration for a command-line script, or a clear message and exit 1 when it is invalid. */
import { ConfigError, loadConfig, type AppConfig } from "@askproai/shared/server";

export const loadConfigOrExit = (): AppConfig => {
  try {
    return loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? `✗ ${error.message}` : error);
    process.exit(1);
  }
};
