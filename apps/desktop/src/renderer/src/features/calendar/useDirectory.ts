/** The branch's people and services (directory.*), kept offline with the calendar. */
import { useQuery } from "@tanstack/react-query";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";

export const useBranches = () => {
  const { api } = useDesk();
  return useQuery({ queryKey: keys.branches(), queryFn: () => api.directory.branches.query(), staleTime: 5 * 60_000 });
};

export const useStaff = (branchId: string | undefined) => {
  const { api } = useDesk();
  return useQuery({
    queryKey: keys.staff(branchId ?? ""),
    queryFn: () => api.directory.staff.query({ branchId: branchId! }),
    enabled: Boolean(branchId),
    staleTime: 5 * 60_000,
  });
};

export const useServices = (branchId: string | undefined) => {
  const { api } = useDesk();
  return useQuery({
    queryKey: keys.services(branchId ?? ""),
    queryFn: () => api.directory.services.query({ branchId: branchId! }),
    enabled: Boolean(branchId),
    staleTime: 5 * 60_000,
  });
};
