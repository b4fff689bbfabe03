/**
 * A caller may find, move and cancel only the appointments of the number they call from: an id that
 * is someone else's answers exactly like one that does not exist, and a withheld number is refused
 * politely. Nothing here reveals another customer's appointments.
 */
import { toZonedIso } from "@askproai/shared";
import { activeSql } from "../booking/statuses.js";
import { VoiceRefusal, type VoiceCall } from "./call.js";
import { speakStaff } from "./resolve.js";
import { spokenSlot } from "./speech.js";

export interface OwnAppointment {
  id: string;
  branchId: string;
  staffId: string;
  serviceId: string;
  serviceName: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  version: number;
  timezone: string;
  retellCallId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const SELECT = `SELECT a.id, a.branch_id AS "branchId", a.staff_id AS "staffId", a.service_id AS "serviceId", s.name AS "serviceName",
    a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.status, a.version, b.timezone, a.retell_call_id AS "retellCallId"
  FROM appointments a
  JOIN customers c ON c.id = a.customer_id AND c.company_id = a.company_id
  JOIN services s ON s.id = a.service_id AND s.company_id = a.company_id
  JOIN branches b ON b.id = a.branch_id AND b.company_id = a.company_id`;

/** The caller's own number, or a polite refusal when it is withheld. */
export const requireCaller = (call: VoiceCall): string => {
  if (!call.callerPhone) throw new VoiceRefusal(call.say.withheldNumber(), "withheld_number");
  return call.callerPhone;
};

/** Upcoming (not yet started) pending or confirmed appointments of the caller's number, soonest first. */
export const upcomingOfCaller = async (call: VoiceCall, limit = 10): Promise<OwnAppointment[]> => {
  const phone = requireCaller(call);
  const { rows } = await call.ctx.sql.query<OwnAppointment>({
    name: "askproai_voice_upcoming",
    text: `${SELECT} WHERE a.company_id = $1::uuid AND c.phone = $2 AND ${activeSql("a")} AND a.starts_at > to_timestamp($3::double precision / 1000)
           ORDER BY a.starts_at LIMIT $4::int`,
    values: [call.ctx.companyId, phone, call.ctx.now(), limit],
  });
  return rows;
};

/**
 * The appointment `id` if it belongs to the caller's number. Without an id, the caller's only upcoming
 * appointment (callers say "my appointment"); with several, the agent is asked which one.
 */
export const ownAppointment = async (call: VoiceCall, id: string | undefined): Promise<OwnAppointment> => {
  const phone = requireCaller(call);
  if (!id) {
    const upcoming = await upcomingOfCaller(call, 2);
    if (upcoming.length === 1) return upcoming[0]!;
    throw new VoiceRefusal(upcoming.length === 0 ? call.say.foundNone() : call.say.needAppointment(), upcoming.length === 0 ? "no_appointment" : "missing_appointment_id");
  }
  const notFound = new VoiceRefusal(call.say.appointmentNotFound(), "appointment_not_found");
  if (!UUID.test(id)) throw notFound;
  const { rows } = await call.ctx.sql.query<OwnAppointment>({
    name: "askproai_voice_own_appointment",
    text: `${SELECT} WHERE a.company_id = $1::uuid AND a.id = $2::uuid AND c.phone = $3 AND a.status <> 'failed'`,
    values: [call.ctx.companyId, id, phone],
  });
  const appointment = rows[0];
  if (!appointment) throw notFound;
  return appointment;
};

/** "Herrenhaarschnitt" and "Dienstag, 1. Dezember, um 14:30 Uhr bei Lena" of an appointment. */
export const describe = (call: VoiceCall, a: Pick<OwnAppointment, "startsAt" | "staffId" | "timezone">) =>
  spokenSlot(call.lang, { start: a.startsAt.getTime(), staffName: speakStaff(call, a.staffId) }, a.timezone, call.ctx.now());

/** The appointment as answers carry it. */
export const appointmentFields = (call: VoiceCall, a: Pick<OwnAppointment, "id" | "startsAt" | "endsAt" | "staffId" | "serviceName" | "timezone" | "status">) => ({
  id: a.id,
  start: toZonedIso(a.startsAt.getTime(), a.timezone),
  end: toZonedIso(a.endsAt.getTime(), a.timezone),
  status: a.status,
  staffName: call.staff.find((s) => s.id === a.staffId)?.name ?? "",
  serviceName: a.serviceName,
});
