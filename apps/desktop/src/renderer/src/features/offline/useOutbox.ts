import { useSyncExternalStore } from "react";
import { useDesk } from "../../app/DeskContext";

/** The outbox entries, re-rendering on every change (pending count, conflict tray, calendar overlay). */
export const useOutbox = () => {
  const { outbox } = useDesk();
  return useSyncExternalStore(outbox.subscribe, outbox.snapshot);
};
