/** Helpers for tests that call domain operations directly (contexts, booking requests, Berlin dates). */
import type { CreateAppointmentInput } from "@askproai/shared";
import { DateTime } from "luxon";
import { poolOf, type Db } from "../client.js";
import { contextFor, type DomainDeps, type OperationContext } from "../context.js";
import type { FixtureCompany } from "./fixtures.js";

export const TEST_ZONE = "Europe/Berlin";

/** A local date `days` from today in Berlin, inside the default 180-day horizon. */
export const localDate = (days: number) => DateTime.now().setZone(TEST_ZONE).plus({ days }).toISODate()!;
/** The instant of a Berlin wall-clock time, ISO with offset. */
export const at = (date: string, hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: TEST_ZONE }).toISO()!;
export const ms = (iso: string) => Date.parse(iso);

let seq = 0;
export const testContext = (deps: DomainDeps, f: Pick<FixtureCompany, "companyId">, correlationId = `test-${seq++}`): OperationContext =>
  contextFor(deps, { companyId: f.companyId, correlationId, actor: { type: "system" }, source: "api" });

export const bookingRequest = (f: FixtureCompany, overrides: Partial<CreateAppointmentInput> & { start: string }): CreateAppointmentInput => ({
  branchId: f.branchId,
  serviceId: f.serviceIds.short,
  customer: { phone: `+49151${String(100000 + (seq % 899999)).padStart(7, "0")}`, name: "Test Kunde" },
  idempotencyKey: `key-${Date.now()}-${seq++}-${Math.random().toString(36).slice(2)}`,
  ...overrides,
});

/** Pairs of overlapping active appointments of one company (staff and rooms): must always be 0. */
export const overlappingPairs = async (db: Db, companyId: string) => {
  const { rows } = await poolOf(db).query<{ staff: string; rooms: string }>(
    `SELECT
      (SELECT count(*) FROM appointments a JOIN appointments b
         ON a.id < b.id AND a.staff_id = b.staff_id
        AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
       WHERE a.company_id = $1::uuid AND a.status NOT IN ('cancelled', 'failed') AND b.status NOT IN ('cancelled', 'failed')) AS staff,
      (SELECT count(*) FROM appointments a JOIN appointments b
         ON a.id < b.id AND a.resource_id = b.resource_id
        AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(b.blocked_from, b.blocked_until)
       WHERE a.company_id = $1::uuid AND a.status NOT IN ('cancelled', 'failed') AND b.status NOT IN ('cancelled', 'failed')) AS rooms`,
    [companyId],
  );
  return { staff: Number(rows[0]!.staff), rooms: Number(rows[0]!.rooms) };
};

/** Runs promises to completion and splits answers from errors. */
export const settle = async <T>(promises: Promise<T>[]) => {
  const results = await Promise.allSettled(promises);
  const ok = results.filter((r): r is PromiseFulfilledResult<Awaited<T>> => r.status === "fulfilled").map((r) => r.value);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
  return { ok, errors };
};
