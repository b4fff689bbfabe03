/**
 * Company set-up: what owners and admins manage themselves (profile and booking policy, branches, staff,
 * skills, services, rooms, hotline numbers), each change audited with its actor and raising the
 * availability of what it affects in the same transaction; and whether a company can take bookings yet.
 */
export * from "./audit.js";
export * from "./branches.js";
export * from "./company.js";
export { appointmentsAhead, type AppointmentScope, type SettledAppointments } from "./future-appointments.js";
export * from "./hotline.js";
export * from "./integrations.js";
export * from "./readiness.js";
export * from "./resources.js";
export * from "./services.js";
export * from "./skills.js";
export * from "./staff.js";
export * from "./users.js";
