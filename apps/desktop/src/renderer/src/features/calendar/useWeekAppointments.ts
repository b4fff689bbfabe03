/** A week's appointments of a branch (appointments.list, Monday to Sunday local time). */
import { useQuery } from "@tanstack/react-query";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";
import { dayBounds, weekOf, zonedIso } from "./grid";

export const useWeekAppointments = (branchId: string | undefined, date: string, zone: string | undefined) => {
  const { api } = useDesk();
  const days = weekOf(date, zone ?? "UTC");
  const from = zonedIso(dayBounds(days[0]!, zone ?? "UTC").start, zone ?? "UTC");
  const to = zonedIso(dayBounds(days[6]!, zone ?? "UTC").end, zone ?? "UTC");
  const query = useQuery({
    queryKey: keys.appointments(branchId ?? "", from, to),
    queryFn: () => api.appointments.list.query({ branchId: branchId!, from, to }),
    enabled: Boolean(branchId && zone),
  });
  return { ...query, days };
};
