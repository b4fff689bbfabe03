/**
 * One day's appointments of a branch (appointments.list over the local day in the branch's zone),
 * kept in the persisted cache so the day stays readable offline; the next days are prefetched.
 */
import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { AskProAIClient } from "@askproai/client";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";
import { addDays, dayRangeIso } from "./grid";

export const dayQuery = (api: AskProAIClient, branchId: string, date: string, zone: string) => {
  const { from, to } = dayRangeIso(date, zone);
  return { queryKey: keys.appointments(branchId, from, to), queryFn: () => api.appointments.list.query({ branchId, from, to }) };
};

export const useDayAppointments = (branchId: string | undefined, date: string, zone: string | undefined) => {
  const { api } = useDesk();
  return useQuery({
    ...dayQuery(api, branchId ?? "", date, zone ?? "UTC"),
    enabled: Boolean(branchId && zone),
  });
};

/** Today and the next days, fetched ahead so an outage tomorrow morning still shows them. */
export const prefetchDays = (queryClient: QueryClient, api: AskProAIClient, branchId: string, today: string, zone: string, days = 4) =>
  Promise.all(Array.from({ length: days }, (_, i) => queryClient.prefetchQuery(dayQuery(api, branchId, addDays(today, i, zone), zone))));
