/** What the globalSetup hands every test file (vitest `inject`). */
export {};

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    runPrefix: string;
  }
}
