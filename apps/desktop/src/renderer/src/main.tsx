/**
 * Renderer entry: builds the desk (bridge, client, cache, outbox), restores the persisted calendar
 * cache (offline reading), loads the outbox and renders. Works the same inside Electron and in a
 * plain browser (then the bridge is the browser shim).
 */
import { PersistQueryClientProvider } from "@tanstack/react-query-persist-client";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { CACHE_MAX_AGE_MS, createDesk, shouldPersistQuery } from "./app/desk";
import { DeskContext } from "./app/DeskContext";
import { ToastProvider } from "./app/toasts";
import { SessionProvider } from "./features/auth/session";
import { I18nProvider } from "./i18n/i18n";
import "./styles.css";

const desk = createDesk();
desk.monitor.start();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <DeskContext.Provider value={desk}>
      <PersistQueryClientProvider
        client={desk.queryClient}
        persistOptions={{ persister: desk.persister, maxAge: CACHE_MAX_AGE_MS, buster: "v1", dehydrateOptions: { shouldDehydrateQuery: shouldPersistQuery } }}
      >
        <I18nProvider>
          <ToastProvider>
            <SessionProvider>
              <App />
            </SessionProvider>
          </ToastProvider>
        </I18nProvider>
      </PersistQueryClientProvider>
    </DeskContext.Provider>
  </StrictMode>,
);
