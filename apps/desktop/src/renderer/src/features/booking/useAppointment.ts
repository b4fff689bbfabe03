/** One appointment with everything a detail view shows (appointments.get). */
import { useQuery } from "@tanstack/react-query";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";

export const useAppointment = (id: string | null) => {
  const { api } = useDesk();
  return useQuery({ queryKey: keys.appointment(id ?? ""), queryFn: () => api.appointments.get.query({ id: id! }), enabled: Boolean(id) });
};
