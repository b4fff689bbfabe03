/** After the storm: what must hold, checked in SQL and against the stand-ins, as rows of a summary table. */
import type pg from "pg";
import { sleep } from "./procs.js";
import type { Load } from "./traffic.js";

export interface Check {
  name: string;
  value: number;
  ok: boolean;
  note?: string;
}

const scalar = async (db: pg.Client, text: string, values: unknown[] = []) => Number((await db.query<{ n: string }>(text, values)).rows[0]?.n ?? 0);
const tableExists = async (db: pg.Client, name: string) => (await db.query("SELECT to_regclass($1) AS t", [name])).rows[0]?.t !== null;

/** Waits until the pipeline is idle: every outbox row dispatched, every webhook processed, no sync pending. */
export const drain = async (db: pg.Client, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  let sameSince = Date.now();
  for (;;) {
    const outbox = await scalar(db, "SELECT count(*)::text AS n FROM outbox_events WHERE dispatched_at IS NULL");
    const hooks = await scalar(db, "SELECT count(*)::text AS n FROM webhook_events WHERE processed_at IS NULL");
    const sync = await scalar(db, "SELECT count(*)::text AS n FROM appointments WHERE calendar_sync_status = 'pending'");
    if ((outbox === 0 && hooks === 0 && sync === 0) || Date.now() > deadline) return { outbox, hooks, sync };
    // Nothing moving for 75 s (longer than the worker's own repairs take to start: stuck webhooks are
    // queued again after 30 s by a sweep every 10 s, a dead worker's job is taken up after its 30 s lock):
    // the checks below will say what is stuck.
    const now = `${outbox}/${hooks}/${sync}`;
    if (now !== last) [last, sameSince] = [now, Date.now()];
    else if (Date.now() - sameSince > 75_000) return { outbox, hooks, sync };
    await sleep(1_000);
  }
};

export const verify = async (opts: {
  db: pg.Client;
  load: Load;
  replayBooking: (key: string, input: Record<string, unknown>) => Promise<string | undefined>;
  replayVoice?: (callId: string, args: Record<string, unknown>) => Promise<string | undefined>;
  calcomBookings: () => { status: string; metadata?: Record<string, unknown> }[];
  smsMessages: () => { to: string; body: string }[];
}): Promise<Check[]> => {
  const { db, load } = opts;
  const checks: Check[] = [];
  const overlaps = await scalar(
    db,
    `SELECT count(*)::text AS n FROM appointments a JOIN appointments b ON a.id < b.id AND a.staff_id = b.staff_id
       AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
     WHERE a.status NOT IN ('cancelled', 'failed') AND b.status NOT IN ('cancelled', 'failed')`,
  );
  checks.push({ name: "overlapping active appointments", value: overlaps, ok: overlaps === 0 });

  const answered = load.bookings.filter((b) => b.appointmentId);
  let changed = 0;
  for (const b of answered) if ((await opts.replayBooking(b.key, b.input)) !== b.appointmentId) changed++;
  checks.push({ name: "desk bookings answered differently on replay", value: changed, ok: changed === 0, note: `${answered.length} replayed` });
  const keys = answered.map((b) => b.key);
  const rowsPerKey = await scalar(db, "SELECT count(*)::text AS n FROM (SELECT idempotency_key FROM appointments WHERE idempotency_key = ANY($1) GROUP BY 1 HAVING count(*) > 1) d", [keys]);
  checks.push({ name: "idempotency keys with two appointments", value: rowsPerKey, ok: rowsPerKey === 0 });
  const unanswered = load.bookings.filter((b) => !b.status).length;
  checks.push({ name: "desk requests never answered", value: unanswered, ok: unanswered === 0 });

  if (opts.replayVoice && load.voice.length) {
    let voiceChanged = 0;
    for (const v of load.voice.filter((x) => x.appointmentId)) if ((await opts.replayVoice(v.callId, v.args)) !== v.appointmentId) voiceChanged++;
    checks.push({ name: "voice bookings answered differently on replay", value: voiceChanged, ok: voiceChanged === 0, note: `${load.voice.length} calls` });
  }

  const acknowledged = load.webhooks.filter((w) => w.acknowledged).map((w) => w.eventId);
  if (load.webhooks.length) {
    const stored = await scalar(db, "SELECT count(*)::text AS n FROM webhook_events WHERE source = 'retell' AND event_id = ANY($1) AND processed_at IS NOT NULL", [acknowledged]);
    checks.push({ name: "acknowledged webhooks lost or unprocessed", value: acknowledged.length - stored, ok: acknowledged.length === stored, note: `${acknowledged.length} events, ${load.webhooks.reduce((n, w) => n + w.deliveries, 0)} deliveries` });
    if (await tableExists(db, "call_records")) {
      const calls = new Set(acknowledged.map((e) => e.split(":")[0]));
      const records = await scalar(db, "SELECT count(*)::text AS n FROM call_records WHERE retell_call_id = ANY($1)", [[...calls]]).catch((error: unknown) => {
        console.error(`call records: the query failed (${(error as Error).message})`);
        return -1;
      });
      checks.push({ name: "call records per call (want 1)", value: records === -1 ? -1 : records - calls.size, ok: records === calls.size, note: `${calls.size} calls` });
    }
  }

  const outbox = await scalar(db, "SELECT count(*)::text AS n FROM outbox_events WHERE dispatched_at IS NULL");
  checks.push({ name: "outbox rows never dispatched", value: outbox, ok: outbox === 0 });

  const cal = opts.calcomBookings().filter((b) => b.status !== "cancelled" && b.status !== "rejected");
  const perAppointment = new Map<string, number>();
  for (const b of cal) {
    const id = b.metadata?.askproaiAppointmentId;
    if (typeof id === "string") perAppointment.set(id, (perAppointment.get(id) ?? 0) + 1);
  }
  const duplicates = [...perAppointment.values()].filter((n) => n > 1).length;
  checks.push({ name: "appointments with two Cal.com bookings", value: duplicates, ok: duplicates === 0, note: `${perAppointment.size} in Cal.com` });
  const { rows } = await db.query<{ id: string; status: string; sync: string }>(
    "SELECT a.id, a.status::text AS status, a.calendar_sync_status::text AS sync FROM appointments a JOIN companies c ON c.id = a.company_id WHERE c.calcom_sync_enabled AND a.status <> 'failed'",
  );
  const missing = rows.filter((r) => r.status === "confirmed" && !perAppointment.has(r.id)).length;
  const zombies = rows.filter((r) => r.status === "cancelled" && perAppointment.has(r.id)).length;
  checks.push({ name: "confirmed appointments missing in Cal.com", value: missing, ok: missing === 0 });
  checks.push({ name: "cancelled appointments still in Cal.com", value: zombies, ok: zombies === 0 });

  const sms = opts.smsMessages();
  const seen = new Map<string, number>();
  for (const m of sms) seen.set(`${m.to}|${m.body}`, (seen.get(`${m.to}|${m.body}`) ?? 0) + 1);
  const dupSms = [...seen.values()].filter((n) => n > 1).length;
  checks.push({ name: "SMS sent twice", value: dupSms, ok: dupSms === 0, note: `${sms.length} sent` });
  return checks;
};
