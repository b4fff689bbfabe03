/**
 * Reminders are planned by a periodic scan (the worker runs it every minute), not by delayed jobs set
 * at booking time: a scan asks "which reminder is due NOW for the appointment as it is now", so a
 * moved appointment's reminders follow its new time, a cancelled one's never come, and tests drive it
 * with any clock. The scan is system-wide maintenance (it finds the companies), hence the unscoped client.
 */
import { poolOf, type Db } from "../client.js";
import { DEFAULT_REMINDER_OFFSETS_MINUTES, dueReminder } from "./reminder-times.js";

interface Candidate {
  id: string;
  startsAt: Date;
  timezone: string;
  offsets: number[] | null;
  scheduledAt: Date;
}

/** Slack beyond the largest offset: calendar days across a DST change are an hour longer or shorter. */
const WINDOW_SLACK_MINUTES = 120;

export interface PlannedReminder {
  companyId: string;
  messageId: string;
}

/** Plans every reminder due at `now`; answers the messages planned by this call (an earlier scan's are not repeated). */
export const planDueReminders = async (db: Db, now: number): Promise<PlannedReminder[]> => {
  const pool = poolOf(db);
  const at = new Date(now);
  const { rows } = await pool.query<Candidate>({
    name: "askproai_reminder_candidates",
    text: `
      SELECT a.id, a.starts_at AS "startsAt", b.timezone, c.reminder_offsets_minutes AS offsets,
        COALESCE((SELECT max(au.created_at) FROM appointment_audit au
                  WHERE au.company_id = a.company_id AND au.appointment_id = a.id AND au.action IN ('created', 'rescheduled')), a.created_at) AS "scheduledAt"
      FROM appointments a
      JOIN companies c ON c.id = a.company_id
      JOIN branches b ON b.id = a.branch_id AND b.company_id = a.company_id
      WHERE a.status IN ('pending', 'confirmed') AND a.starts_at > $1::timestamptz
        -- Bookings made in Cal.com only block time here: Cal.com reminds its own attendees.
        AND a.source <> 'calcom'
        AND a.starts_at <= $1::timestamptz
          + make_interval(mins => (SELECT COALESCE(max(o), 0) FROM unnest(COALESCE(c.reminder_offsets_minutes, ARRAY[${DEFAULT_REMINDER_OFFSETS_MINUTES.join(",")}])) o) + ${WINDOW_SLACK_MINUTES})`,
    values: [at],
  });
  const due = rows.flatMap((r) => {
    const reminder = dueReminder(
      { startMs: r.startsAt.getTime(), zone: r.timezone, offsetsMinutes: r.offsets ?? DEFAULT_REMINDER_OFFSETS_MINUTES, scheduledAtMs: r.scheduledAt.getTime() },
      now,
    );
    return reminder ? [{ id: r.id, startsAt: r.startsAt, ...reminder }] : [];
  });
  if (due.length === 0) return [];
  // The start is part of the key (and re-checked here): a reminder always belongs to one appointment time.
  const { rows: planned } = await pool.query<{ id: string; companyId: string }>({
    name: "askproai_plan_reminders",
    text: `
      INSERT INTO messages (id, company_id, customer_id, appointment_id, appointment_version, appointment_start, reminder_offset_minutes,
        kind, channel, language, state, send_after, correlation_id, created_at, updated_at)
      SELECT gen_random_uuid(), a.company_id, a.customer_id, a.id, a.version, a.starts_at, d.offset_minutes, 'reminder', ch.channel,
        COALESCE(cu.language, co.message_language), 'pending', d.send_after, a.correlation_id, now(), now()
      FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::timestamptz[]) AS d(appointment_id, starts_at, offset_minutes, send_after)
      JOIN appointments a ON a.id = d.appointment_id AND a.starts_at = d.starts_at AND a.status IN ('pending', 'confirmed')
      JOIN customers cu ON cu.id = a.customer_id AND cu.company_id = a.company_id
      JOIN companies co ON co.id = a.company_id
      CROSS JOIN LATERAL (SELECT 'sms'::message_channel AS channel
                          UNION ALL SELECT 'email'::message_channel WHERE cu.email IS NOT NULL AND cu.email <> '') ch
      ON CONFLICT DO NOTHING
      RETURNING id, company_id AS "companyId"`,
    values: [due.map((d) => d.id), due.map((d) => d.startsAt), due.map((d) => d.offsetMinutes), due.map((d) => new Date(d.sendAt))],
  });
  return planned.map((p) => ({ companyId: p.companyId, messageId: p.id }));
};
