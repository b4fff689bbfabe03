/**
 * Appointment changes for live subscribers, in commit order. Every appointment change writes a
 * `change_events` row in its own transaction (../outbox/write.ts) with `seq` NULL; `sequenceChanges`
 * numbers committed rows afterwards, one sequencer at a time (an advisory lock), so `seq` grows in the
 * order rows became visible and a subscriber that resumes after `seq` can never skip one that
 * committed late. System-level (all companies), like the outbox relay; readers filter by company.
 */
import type { AppointmentOut } from "@askproai/shared";
import { poolOf, type Db } from "../client.js";
import { appointmentColumns, toAppointmentOut, type AppointmentRow } from "../booking/rows.js";
import { inTransaction, type Queryable } from "../sql.js";

export const CHANGE_CHANNEL = "askproai_changes";
const SEQUENCER_LOCK = 7_301_125_001;

export type ChangeType = "appointment.created" | "appointment.updated" | "appointment.cancelled";

export interface ChangeEventOut {
  seq: number;
  type: ChangeType;
  appointment: AppointmentOut;
}

export interface CompanyChange {
  companyId: string;
  event: ChangeEventOut;
}

/** Changes numbered per sequencer transaction; a pass that numbered this many may have left more. */
export const SEQUENCE_BATCH = 5_000;

/** Numbers committed, unnumbered changes (at most SEQUENCE_BATCH, oldest first); returns how many it numbered. */
export const sequenceChanges = (db: Db): Promise<number> =>
  inTransaction(poolOf(db), async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [SEQUENCER_LOCK]);
    const { rowCount } = await tx.query(`
      UPDATE change_events c SET seq = n.seq
      FROM (SELECT id, nextval('change_events_seq') AS seq
            FROM (SELECT id FROM change_events WHERE seq IS NULL ORDER BY created_at, id LIMIT ${SEQUENCE_BATCH}) o) n
      WHERE c.id = n.id`);
    return rowCount ?? 0;
  });

type Row = AppointmentRow & { seq: string; type: ChangeType; timezone: string; eventCompanyId: string };

const SELECT_CHANGES = `
  SELECT c.seq::text AS seq, c.type, c.company_id AS "eventCompanyId", b.timezone, ${appointmentColumns("a")}
  FROM change_events c JOIN appointments a ON a.id = c.appointment_id AND a.company_id = c.company_id
  JOIN branches b ON b.id = a.branch_id`;

const toEvent = (row: Row): CompanyChange => ({
  companyId: row.eventCompanyId,
  event: { seq: Number(row.seq), type: row.type, appointment: toAppointmentOut(row, row.timezone) },
});

/** Numbered changes of every company after `afterSeq`, oldest first (the hub's feed). */
export const changesAfter = async (db: Queryable, afterSeq: number, limit = 1000): Promise<CompanyChange[]> => {
  const { rows } = await db.query<Row>({ text: `${SELECT_CHANGES} WHERE c.seq > $1 ORDER BY c.seq LIMIT $2`, values: [afterSeq, limit] });
  return rows.map(toEvent);
};

/** One company's numbered changes after `afterSeq` (a subscriber resuming from its last seen event). */
export const companyChangesAfter = async (db: Queryable, companyId: string, afterSeq: number, limit = 1000): Promise<ChangeEventOut[]> => {
  const { rows } = await db.query<Row>({
    text: `${SELECT_CHANGES} WHERE c.company_id = $1::uuid AND c.seq > $2 ORDER BY c.seq LIMIT $3`,
    values: [companyId, afterSeq, limit],
  });
  return rows.map((r) => toEvent(r).event);
};

export const latestSeq = async (db: Queryable): Promise<number> => {
  const { rows } = await db.query<{ seq: string | null }>("SELECT max(seq)::text AS seq FROM change_events");
  return Number(rows[0]?.seq ?? 0);
};
