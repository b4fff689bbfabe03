/** The `app://desk/` scheme: the renderer's files and the API behind one origin (see host/desk-host.ts). */
import type { Net, Protocol } from "electron";
import { handleDeskRequest } from "../host/desk-host.js";
import { APP_SCHEME } from "./security.js";

/** Must run before the app is ready: a standard, secure scheme that may use fetch and stream (SSE). */
export const registerAppScheme = (protocol: Pick<Protocol, "registerSchemesAsPrivileged">) =>
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

export const handleAppScheme = (protocol: Pick<Protocol, "handle">, net: Pick<Net, "fetch">, options: { rendererDir: string; apiUrl: string }) =>
  protocol.handle(APP_SCHEME, (request) => handleDeskRequest(request, { ...options, fetch: (input, init) => net.fetch(input instanceof URL ? input.href : input, init) }));
