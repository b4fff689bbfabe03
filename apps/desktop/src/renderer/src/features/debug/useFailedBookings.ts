/** debug.failedBookings: failed attempts and failed calendar syncs of the last 24 hours (owners, admins). */
import { useQuery } from "@tanstack/react-query";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";

export const useFailedBookings = (enabled: boolean) => {
  const { api } = useDesk();
  return useQuery({ queryKey: keys.failedBookings(), queryFn: () => api.debug.failedBookings.query({ hours: 24 }), enabled, staleTime: 10_000 });
};
