import { describe, expect, it } from "vitest";
import { poolOf } from "../client.js";
import { AppointmentStatus } from "../generated/prisma/enums.js";
import { useTestbed } from "../testing/testbed.js";
import { ACTIVE_STATUSES, NON_BLOCKING_STATUSES, blockingSql } from "./statuses.js";

const { bed } = useTestbed();

describe("the one definition of blocking statuses", () => {
  it("matches the predicate of both EXCLUDE constraints in the migrated database", async () => {
    const { rows } = await poolOf(bed.scratch.db).query<{ conname: string; def: string }>(
      `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname IN ('appointments_no_staff_overlap', 'appointments_no_resource_overlap')`,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const listed = [...row.def.matchAll(/'([a-z_]+)'::appointment_status/g)].map((m) => m[1]).sort();
      expect(listed, row.conname).toEqual([...NON_BLOCKING_STATUSES].sort());
      expect(row.def).toMatch(/<>\s*ALL|NOT IN/i);
    }
  });

  it("covers every status of the database enum exactly once between blocking and non-blocking", () => {
    const all = Object.values(AppointmentStatus) as string[];
    expect(all.length).toBeGreaterThan(0);
    for (const status of NON_BLOCKING_STATUSES) expect(all).toContain(status);
    for (const status of ACTIVE_STATUSES) expect(NON_BLOCKING_STATUSES as readonly string[]).not.toContain(status);
    expect(blockingSql("a")).toBe("a.status NOT IN ('cancelled', 'failed')");
  });
});
