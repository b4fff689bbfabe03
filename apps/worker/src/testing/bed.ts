/**
 * A worker test file's scratch database, its clean-up steps (run after each test, last first), plain SQL,
 * and a booking made through the booking core (so its outbox rows are the real ones).
 */
import { contextFor, createDomainDeps, poolOf } from "@askproai/db";
import { createAppointment } from "@askproai/db/booking";
import { at, bookingRequest, createScratchDatabase, localDate, type FixtureCompany, type ScratchDatabase } from "@askproai/db/testing";
import { afterAll, afterEach, beforeAll } from "vitest";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const useWorkerBed = () => {
  const bed = { cleanup: [] as (() => Promise<unknown>)[] } as { scratch: ScratchDatabase; cleanup: (() => Promise<unknown>)[] };
  beforeAll(async () => {
    bed.scratch = await createScratchDatabase();
  });
  afterEach(async () => {
    for (const step of bed.cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });
  afterAll(async () => bed.scratch?.drop());

  const sql = <T extends object>(text: string, values: unknown[] = []) => poolOf(bed.scratch.db).query<T>(text, values).then((r) => r.rows);
  let seq = 0;
  /** Books `days` ahead at `time` for a new customer; answers the appointment, the phone and its notification's outbox row. */
  const book = async (f: FixtureCompany, days: number, time: string) => {
    const to = `+49152${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;
    const ctx = contextFor(createDomainDeps(bed.scratch.db, null), { companyId: f.companyId, correlationId: `bed-${seq++}`, actor: { type: "system" }, source: "api" });
    const appointment = await createAppointment(ctx, bookingRequest(f, { start: at(localDate(days), time), staffId: f.staffIds[0], customer: { phone: to, name: "Max Muster" } }));
    const [row] = await sql<{ id: string }>("SELECT id FROM outbox_events WHERE aggregate_id = $1 AND topic = 'notification.send'", [appointment.id]);
    return { appointment, to, outboxId: row!.id };
  };
  return { bed, sql, book, later: (step: () => Promise<unknown>) => void bed.cleanup.push(step) };
};
