/** debug.timeline: everything that carries one correlation id (or an appointment's), in time order. */
import { useQuery } from "@tanstack/react-query";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";

export type TimelineKey = { correlationId: string } | { appointmentId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What someone pasted: an appointment id (a UUID) or a correlation id. */
export const timelineKeyOf = (text: string): TimelineKey | null => {
  const value = text.trim();
  if (!value) return null;
  return UUID.test(value) ? { appointmentId: value } : { correlationId: value };
};

export const useTimeline = (by: TimelineKey | null) => {
  const { api } = useDesk();
  return useQuery({ queryKey: keys.timeline(by ?? {}), queryFn: () => api.debug.timeline.query(by!), enabled: Boolean(by), retry: false });
};
