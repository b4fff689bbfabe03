/**
 * The fuzz walk's seeds (../fuzz.integration.test.ts): one valid input per procedure of the app router,
 * built from the walk's fixtures, and who calls it. A table, kept apart from the walk that mutates it.
 */
import { randomUUID } from "node:crypto";

export interface Fixtures {
  branchId: string;
  serviceId: string;
  staffId: string;
  appointmentId: string;
  customerId: string;
  exceptionId: string;
  deskUserId: string;
  foreignBranchId: string;
  foreignCompanyId: string;
  from: string;
  start: string;
  end: string;
  /** Time off of the seeds: another day than the bookings'. */
  offStart: string;
  offEnd: string;
}

/** Who calls a procedure when the case carries the right token: a company's owner, a platform operator, or nobody (public). */
export type Caller = "company" | "operator" | "public";
export interface Seed {
  caller: Caller;
  /** A valid input (undefined: the procedure takes none); cases mutate it at any depth or replace it. */
  input: (f: Fixtures) => unknown;
  /** Fewer cases (argon2 password hashing on purpose, or a session that must survive the run). */
  light?: boolean;
}

const none = () => undefined;
const byId = (f: Fixtures) => ({ id: f.appointmentId });
const company = (input: Seed["input"] = none): Seed => ({ caller: "company", input });
const operator = (input: Seed["input"] = none): Seed => ({ caller: "operator", input });
const TEMPLATE = { kind: "confirmation", channel: "sms", language: "de" } as const;

/** One entry per procedure of the app router: a test fails when a procedure is added without one. */
export const SEEDS: Record<string, Seed> = {
  "appointments.cancel": company((f) => ({ id: f.appointmentId, reason: "Fuzz" })),
  "appointments.complete": company((f) => ({ id: f.appointmentId, expectedVersion: 1 })),
  "appointments.create": company((f) => ({ branchId: f.branchId, serviceId: f.serviceId, staffId: f.staffId, start: f.start, customer: { phone: "0151 2223334", name: "Fuzz", email: "fuzz@example.org" }, idempotencyKey: "fuzz-key-0001", notes: "n" })),
  "appointments.get": company(byId),
  "appointments.list": company((f) => ({ branchId: f.branchId, from: f.start, to: f.end, status: ["confirmed"], staffId: f.staffId })),
  "appointments.markNoShow": company((f) => ({ id: f.appointmentId, expectedVersion: 1 })),
  "appointments.reschedule": company((f) => ({ id: f.appointmentId, start: f.end, staffId: f.staffId, expectedVersion: 1 })),
  "auth.acceptInvite": { caller: "public", input: () => ({ token: "a".repeat(43), password: "long-enough-pass", name: "Neu" }), light: true },
  "auth.login": { caller: "public", input: () => ({ email: "owner@simple-salon.example", password: "wrong-pass" }), light: true },
  "auth.logout": { caller: "public", input: none, light: true },
  "auth.me": company(),
  "availability.slots": company((f) => ({ branchId: f.branchId, serviceId: f.serviceId, staffId: f.staffId, from: f.from, days: 2 })),
  "calendar.conflicts": company(() => ({ includeResolved: true })),
  "calendar.mappings": company(),
  "calendar.resolveConflict": company(() => ({ id: randomUUID() })),
  "calendar.setConnection": company(() => ({ apiKey: "cal_fuzz_key" })),
  "calendar.setMappings": company((f) => ({ services: [{ serviceId: f.serviceId, eventTypeId: 7 }], staff: [{ staffId: f.staffId, calcomUserId: 9 }] })),
  "calendar.setSync": company(() => ({ enabled: false })),
  "calendar.status": company(),
  "company.billing": company(),
  "customers.get": company((f) => ({ id: f.customerId })),
  "customers.search": company(() => ({ query: "Fu", limit: 5 })),
  "customers.upsert": company(() => ({ phone: "0151 2223335", name: "Fuzz Kunde", email: "k@example.org", notes: "n" })),
  "debug.failedBookings": company(() => ({ hours: 24 })),
  "debug.timeline": company((f) => ({ correlationId: "fuzz-correlation", appointmentId: f.appointmentId })),
  "directory.branches": company(),
  "directory.resources": company((f) => ({ branchId: f.branchId })),
  "directory.services": company((f) => ({ branchId: f.branchId })),
  "directory.staff": company((f) => ({ branchId: f.branchId })),
  "events.onChange": company(() => ({ lastEventId: null })),
  "messaging.list": company((f) => ({ appointmentId: f.appointmentId, customerId: f.customerId, limit: 5 })),
  "messaging.resetTemplate": company(() => TEMPLATE),
  "messaging.setTemplate": company(() => ({ ...TEMPLATE, subject: "Termin", body: "Ihr Termin am {{date}}" })),
  "messaging.settings": company(),
  "messaging.templates": company(),
  "messaging.updateSettings": company(() => ({ reminderOffsetsMinutes: [1440], language: "de", waitlistHoldMinutes: 30, noShowLimit: 3 })),
  "platform.companies.create": operator(() => ({ slug: "fuzz-gmbh", name: "Fuzz GmbH", ownerEmail: "owner@fuzz.example", ownerName: "Fuzz", businessModel: "simple", timezone: "Europe/Berlin", country: "DE" })),
  "platform.companies.get": operator((f) => ({ id: f.foreignCompanyId })),
  "platform.companies.list": operator(),
  "platform.companies.suspend": operator(() => ({ id: randomUUID(), reason: "Fuzz" })),
  "platform.companies.unsuspend": operator((f) => ({ id: f.foreignCompanyId })),
  "platform.login": { caller: "public", input: () => ({ email: "operator@askproai.example", password: "wrong-pass" }), light: true },
  "platform.logout": { caller: "public", input: none, light: true },
  "platform.me": operator(),
  "reports.apiPerformance": company(() => ({ sinceMinutes: 60 })),
  "reports.bookingSuccess": company(() => ({ days: 30 })),
  "schedule.addException": company((f) => ({ kind: "time_off", branchId: f.branchId, staffId: f.staffId, start: f.offStart, end: f.offEnd, reason: "Fuzz" })),
  "schedule.exceptions": company((f) => ({ from: f.start, to: f.end, branchId: f.branchId })),
  "schedule.removeException": company((f) => ({ id: f.exceptionId })),
  // The salon's own week (Mon–Sat 09:00–18:00), so that the seeds' bookings stay inside working hours.
  "schedule.setWeeklyRules": company((f) => ({ branchId: f.branchId, staffId: f.staffId, rules: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1080 })) })),
  "schedule.weeklyRules": company((f) => ({ branchId: f.branchId, staffId: f.staffId })),
  "setup.auditLog": company(() => ({ limit: 5, before: "2030-01-01T00:00:00Z", entity: "service", entityId: randomUUID() })),
  "setup.branches.create": company(() => ({ name: "Fuzz Filiale", timezone: "Europe/Berlin", phoneNumber: "030 1234567", street: "Str. 1", postalCode: "10115", city: "Berlin", latitude: 52.5, longitude: 13.4, areaCodes: ["030"] })),
  "setup.branches.deactivate": company((f) => ({ id: f.foreignBranchId, futureAppointments: "refuse" })),
  "setup.branches.list": company(() => ({ includeInactive: true })),
  "setup.branches.reactivate": company((f) => ({ id: f.branchId })),
  "setup.branches.update": company((f) => ({ id: f.branchId, city: "Berlin", areaCodes: ["030"] })),
  "setup.company.get": company(),
  "setup.company.update": company(() => ({ minNoticeMinutes: 0, horizonDays: 90, slotStepMinutes: 15 })),
  "setup.hotlines.create": company((f) => ({ name: "Fuzz Hotline", phoneNumber: "030 7654321", routes: [{ branchId: f.branchId, priority: 1 }] })),
  "setup.hotlines.list": company(),
  "setup.hotlines.remove": company(() => ({ id: randomUUID() })),
  "setup.hotlines.update": company((f) => ({ id: randomUUID(), name: "H", routes: [{ branchId: f.branchId }] })),
  "setup.integrations.get": company(),
  "setup.integrations.update": company(() => ({ retellAgentId: "agent_fuzz", stripeCustomerId: null })),
  "setup.readiness": company(),
  "setup.resources.create": company((f) => ({ branchId: f.branchId, kind: "room", name: "Raum Fuzz" })),
  "setup.resources.deactivate": company(() => ({ id: randomUUID(), futureAppointments: "refuse" })),
  "setup.resources.list": company(() => ({ includeInactive: true })),
  "setup.resources.reactivate": company(() => ({ id: randomUUID() })),
  "setup.resources.update": company(() => ({ id: randomUUID(), kind: "room", name: "Raum" })),
  "setup.services.create": company(() => ({ name: "Fuzz Service", description: null, durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 5, priceMinor: 1000, currency: "EUR", requiredSkillLevel: null, requiredResourceKind: null })),
  "setup.services.deactivate": company(() => ({ id: randomUUID(), futureAppointments: "refuse" })),
  "setup.services.list": company(() => ({ includeInactive: true })),
  "setup.services.reactivate": company((f) => ({ id: f.serviceId })),
  "setup.services.update": company((f) => ({ id: f.serviceId, description: "d", priceMinor: 3500 })),
  "setup.skills.list": company((f) => ({ staffId: f.staffId })),
  "setup.skills.set": company((f) => ({ staffId: f.staffId, skills: [{ serviceId: f.serviceId, level: 1, branchId: f.branchId }] })),
  "setup.staff.create": company((f) => ({ name: "Fuzz Mitarbeiter", email: null, branchIds: [f.branchId] })),
  "setup.staff.deactivate": company(() => ({ id: randomUUID(), futureAppointments: "refuse" })),
  "setup.staff.get": company((f) => ({ id: f.staffId })),
  "setup.staff.list": company(() => ({ includeInactive: true })),
  "setup.staff.reactivate": company((f) => ({ id: f.staffId })),
  "setup.staff.update": company((f) => ({ id: f.staffId, branchIds: [f.branchId] })),
  "setup.users.changeRole": company((f) => ({ id: f.deskUserId, role: "front_desk" })),
  "setup.users.deactivate": company(() => ({ id: randomUUID() })),
  "setup.users.invite": company(() => ({ email: "neu@simple-salon.example", name: "Neu", role: "front_desk" })),
  "setup.users.list": company(),
  "setup.users.reactivate": company((f) => ({ id: f.deskUserId })),
  "setup.users.resendInvite": company(() => ({ id: randomUUID() })),
  "waitlist.cancel": company(() => ({ id: randomUUID() })),
  "waitlist.join": company((f) => ({ branchId: f.branchId, serviceId: f.serviceId, staffId: f.staffId, customer: { phone: "0151 2223336", name: "Warte" }, fromDate: f.from, toDate: f.from, earliestTime: "09:00", latestTime: "12:00", notes: "n" })),
  "waitlist.list": company((f) => ({ branchId: f.branchId, state: "waiting", limit: 5 })),
};
