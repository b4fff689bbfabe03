/** Query keys, one place: `[area, procedure, input]`. The first part decides what is kept offline. */
export const keys = {
  branches: () => ["directory", "branches"] as const,
  staff: (branchId: string) => ["directory", "staff", branchId] as const,
  services: (branchId: string) => ["directory", "services", branchId] as const,
  appointments: (branchId: string, from: string, to: string) => ["appointments", "list", { branchId, from, to }] as const,
  appointment: (id: string) => ["appointments", "get", id] as const,
  slots: (input: { branchId: string; serviceId: string; staffId?: string; from: string; days: number }) => ["availability", "slots", input] as const,
  customerSearch: (query: string) => ["customers", "search", query] as const,
  customer: (id: string) => ["customers", "get", id] as const,
  failedBookings: () => ["debug", "failedBookings"] as const,
  timeline: (by: { correlationId?: string; appointmentId?: string }) => ["debug", "timeline", by] as const,
};

export const PERSISTED_ROOTS = ["directory", "appointments"];
