import { authRouter } from "./routers/auth.js";
import { directoryRouter } from "./routers/directory.js";
import { router } from "./trpc.js";

export const appRouter = router({
  auth: authRouter,
  directory: directoryRouter,
});

export type AppRouter = typeof appRouter;
