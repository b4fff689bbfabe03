/**
 * Live updates: the `events.onChange` subscription (tRPC over server-sent events). Each change is
 * applied to the cached day and week lists at once (the appointment is read with its names through
 * appointments.get) and highlighted. Resumable: the last seen `seq` is kept and sent as `lastEventId`
 * when the subscription starts again (after an outage, a reload or a restart), so nothing is missed.
 */
import type { AskProAIClient, RouterOutputs } from "@askproai/client";
import type { QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useConnection, useDesk } from "../../app/DeskContext";
import { markChanged } from "./recent";

type ChangeEvent = { seq: number; type: "appointment.created" | "appointment.updated" | "appointment.cancelled"; appointment: { id: string; branchId: string } };
type ListItem = RouterOutputs["appointments"]["list"][number];
export type LiveState = "off" | "connecting" | "live";

const RETRY_MS = 3_000;
const lastSeqKey = (companyId: string) => `askproai.live.lastSeq.${companyId}`;

/** Puts the changed appointment into every cached list whose branch and range hold it, and out of the others. */
export const applyChange = async (api: AskProAIClient, queryClient: QueryClient, event: ChangeEvent) => {
  const id = event.appointment.id;
  let detail: ListItem | null = null;
  try {
    detail = await api.appointments.get.query({ id });
  } catch {
    await queryClient.invalidateQueries({ queryKey: ["appointments"] });
    return;
  }
  for (const query of queryClient.getQueryCache().findAll({ queryKey: ["appointments", "list"] })) {
    const input = query.queryKey[2] as { branchId: string; from: string; to: string };
    const list = query.state.data as ListItem[] | undefined;
    if (!list) continue;
    const without = list.filter((a) => a.id !== id);
    const belongs = detail.branchId === input.branchId && Date.parse(detail.end) > Date.parse(input.from) && Date.parse(detail.start) < Date.parse(input.to);
    const next = belongs ? [...without, detail].sort((a, b) => Date.parse(a.start) - Date.parse(b.start)) : without;
    queryClient.setQueryData(query.queryKey, next);
  }
  queryClient.setQueryData(["appointments", "get", id], detail);
  markChanged(id);
  performance.mark(`askproai:live-applied:${id}`);
};

export const useLiveChanges = (companyId: string) => {
  const { api, queryClient } = useDesk();
  const connection = useConnection();
  const [state, setState] = useState<LiveState>("off");

  useEffect(() => {
    if (connection !== "online") {
      setState("off");
      return;
    }
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let subscription: { unsubscribe(): void } | null = null;
    const start = () => {
      if (stopped) return;
      setState("connecting");
      const lastEventId = localStorage.getItem(lastSeqKey(companyId));
      subscription = api.events.onChange.subscribe(lastEventId ? { lastEventId } : undefined, {
        onStarted: () => setState("live"),
        onConnectionStateChange: (s) => setState(s.state === "pending" ? "live" : s.state === "connecting" ? "connecting" : "off"),
        onData: (tracked) => {
          localStorage.setItem(lastSeqKey(companyId), tracked.id);
          void applyChange(api, queryClient, tracked.data as ChangeEvent);
        },
        onError: () => {
          // A closed stream (API restarted, host answered 502) ends the subscription: start again.
          subscription?.unsubscribe();
          setState("connecting");
          retry = setTimeout(start, RETRY_MS);
        },
      });
    };
    start();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      subscription?.unsubscribe();
    };
  }, [api, queryClient, companyId, connection]);

  return state;
};
