import { describe, expect, it } from "vitest";
import { createAppointment } from "../booking/create.js";
import { poolOf } from "../client.js";
import { at, bookingRequest, createFixtureCompany, localDate } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { changesAfter, companyChangesAfter, sequenceChanges } from "./changes.js";

const { bed, ctx } = useTestbed();

describe("change numbering", () => {
  it("numbers changes in the order they became visible, so a change committed late is never skipped", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const date = localDate(60);
    const first = await createAppointment(ctx(f), bookingRequest(f, { start: at(date, "09:00") }));
    await sequenceChanges(bed.scratch.db);
    const [seen] = await companyChangesAfter(poolOf(bed.scratch.db), f.companyId, 0);
    expect(seen?.appointment.id).toBe(first.id);

    // A change written by a transaction that stays open …
    const slow = await poolOf(bed.scratch.db).connect();
    try {
      await slow.query("BEGIN");
      await slow.query(
        `INSERT INTO change_events (id, company_id, type, appointment_id, correlation_id) VALUES (gen_random_uuid(), $1, 'appointment.updated', $2, 'late')`,
        [f.companyId, first.id],
      );
      // … while another change commits and is numbered and read by a subscriber.
      const second = await createAppointment(ctx(f), bookingRequest(f, { start: at(date, "10:00") }));
      await sequenceChanges(bed.scratch.db);
      const afterFirst = await companyChangesAfter(poolOf(bed.scratch.db), f.companyId, seen!.seq);
      expect(afterFirst.map((e) => e.appointment.id)).toEqual([second.id]);
      const cursor = afterFirst[0]!.seq;
      await slow.query("COMMIT");
      // The late change is numbered after what the subscriber has seen, so resuming from its cursor finds it.
      await sequenceChanges(bed.scratch.db);
      const resumed = await companyChangesAfter(poolOf(bed.scratch.db), f.companyId, cursor);
      expect(resumed.map((e) => [e.type, e.appointment.id])).toEqual([["appointment.updated", first.id]]);
      // The all-company feed agrees and carries the company.
      expect((await changesAfter(poolOf(bed.scratch.db), cursor)).map((c) => c.companyId)).toContain(f.companyId);
    } finally {
      await slow.query("ROLLBACK").catch(() => undefined);
      slow.release();
    }
  });
});
