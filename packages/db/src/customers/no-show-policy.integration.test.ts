import { describe, expect, it } from "vitest";
import { createAppointment, markNoShow } from "../booking/index.js";
import { contextFor } from "../context.js";
import { at, bookingRequest, createFixtureCompany, localDate } from "../testing/index.js";
import { useTestbed } from "../testing/testbed.js";
import { getCustomer } from "./customers.js";
import { requiresDeskConfirmation, requiresDeskConfirmationForPhone } from "./no-show-policy.js";

const { bed, ctx } = useTestbed();

describe("no-show policy", () => {
  it("counts a customer's no-shows and asks for the desk's confirmation from the company's limit on", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { noShowLimit: 2 } });
    const phone = "+4915500000042";
    const day = localDate(2);
    const afterwards = contextFor(bed.deps, { companyId: f.companyId, correlationId: "ns", actor: { type: "user" }, source: "desktop", now: () => Date.parse(at(localDate(3), "12:00")) });
    const ids: string[] = [];
    for (const hhmm of ["10:00", "12:00", "14:00"]) {
      ids.push((await createAppointment(ctx(f), bookingRequest(f, { start: at(day, hhmm), staffId: f.staffIds[0], customer: { phone, name: "Oft Weg" } }))).id);
    }
    const customerId = (await bed.scratch.db.customer.findFirstOrThrow({ where: { companyId: f.companyId, phone } })).id;
    expect(await requiresDeskConfirmation(ctx(f), customerId)).toEqual({ noShowCount: 0, limit: 2, requiresDeskConfirmation: false });
    await markNoShow(afterwards, { id: ids[0]! });
    expect((await requiresDeskConfirmation(ctx(f), customerId)).requiresDeskConfirmation).toBe(false);
    await markNoShow(afterwards, { id: ids[1]! });
    expect(await requiresDeskConfirmationForPhone(ctx(f), phone)).toEqual({ noShowCount: 2, limit: 2, requiresDeskConfirmation: true });
    // Visible on the customer card, and switched off by a company without a limit.
    expect(await getCustomer(ctx(f), customerId)).toMatchObject({ noShowCount: 2, noShowLimit: 2, requiresDeskConfirmation: true });
    await bed.scratch.db.company.update({ where: { id: f.companyId }, data: { noShowLimit: null } });
    expect(await requiresDeskConfirmation(ctx(f), customerId)).toEqual({ noShowCount: 2, limit: null, requiresDeskConfirmation: false });
    // A number the company has never seen, and another company's customer, have no no-shows here.
    expect((await requiresDeskConfirmationForPhone(ctx(f), "+4915500000043")).noShowCount).toBe(0);
    const other = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    expect((await requiresDeskConfirmationForPhone(ctx(other), phone)).noShowCount).toBe(0);
  });
});
