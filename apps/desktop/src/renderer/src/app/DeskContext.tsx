import { createContext, useContext, useSyncExternalStore } from "react";
import type { Desk } from "./desk";

export const DeskContext = createContext<Desk | null>(null);

export const useDesk = (): Desk => {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error("useDesk outside DeskContext");
  return desk;
};

/** "online" | "offline", re-rendering on every change. */
export const useConnection = () => {
  const { monitor } = useDesk();
  return useSyncExternalStore(
    (listener) => monitor.subscribe(listener),
    () => monitor.current,
  );
};
