/** The slots the server offers (availability.slots): the only times the booking panel lets you pick. */
import { useQuery } from "@tanstack/react-query";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";

export const useSlots = (input: { branchId: string; serviceId: string | undefined; staffId?: string; from: string; days?: number }) => {
  const { api } = useDesk();
  const query = { branchId: input.branchId, serviceId: input.serviceId ?? "", ...(input.staffId ? { staffId: input.staffId } : {}), from: input.from, days: input.days ?? 1 };
  return useQuery({
    queryKey: keys.slots(query),
    queryFn: () => api.availability.slots.query(query),
    enabled: Boolean(input.serviceId),
    staleTime: 5_000,
  });
};
