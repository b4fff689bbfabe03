/**
 * Billing gating over real HTTP: Stripe events (processed by the real domain code) change the company's
 * state; `company.billing` shows it; the voice agent stops booking once a cancelled subscription's
 * period is over, while the desk keeps booking.
 */
import { processWebhookEvent } from "@askproai/db/webhooks";
import { stripeEvent, signedDelivery } from "@askproai/stand-ins/webhooks";
import { describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { DEMO_NUMBERS, newCall } from "./testing/retell.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();

/** Delivers a signed Stripe event and processes it as the worker does. */
const stripe = async (body: ReturnType<typeof stripeEvent>) => {
  const res = await fetch(`${t.api.baseUrl}/webhooks/stripe`, { method: "POST", ...signedDelivery("stripe", body, t.api.deps.config) });
  expect(res.status).toBe(204);
  const [row] = await t.api.scratch.db.webhookEvent.findMany({ where: { eventId: body.id }, select: { id: true } });
  expect(await processWebhookEvent({ db: t.api.scratch.db, stripe: null }, row!.id)).toMatchObject({ outcome: "processed" });
};

describe("company.billing and voice gating", () => {
  it("active → cancelled inside its period (still books) → period over (the agent refuses politely, the desk books)", { timeout: 40_000 }, async () => {
    const desk = await t.client.login("desk@simple-salon.example");
    const billing = async () => (await t.client.query("company.billing", undefined, desk.token)).data;
    expect(await billing()).toMatchObject({ status: "active", subscriptionId: "sub_demo_simple_salon", voiceBookingAllowed: true, periodEnd: expect.stringMatching(/\+0[12]:00$/) });
    expect((await t.client.query("company.billing")).status).toBe(401);

    const now = Math.floor(Date.now() / 1000);
    const date = nextDate(5);
    const book = (time: string) => newCall(t.api, DEMO_NUMBERS.salon).fn("book_appointment", { service: "Herrenhaarschnitt", date, time, customer_name: "Jonas Berger" });

    await stripe(stripeEvent("customer.subscription.deleted", { customer: "cus_demo_simple_salon", created: now - 10, currentPeriodEnd: now + 86_400 }));
    expect(await billing()).toMatchObject({ status: "canceled", voiceBookingAllowed: true });
    expect((await book("10:00")).body).toMatchObject({ ok: true });

    await stripe(stripeEvent("customer.subscription.updated", { customer: "cus_demo_simple_salon", status: "canceled", created: now, currentPeriodEnd: now - 60 }));
    expect(await billing()).toMatchObject({ status: "canceled", voiceBookingAllowed: false });
    const refused = (await book("11:00")).body;
    expect(refused).toMatchObject({ ok: false, reason: "billing_inactive" });
    expect(refused.result).toMatch(/nicht telefonisch/);

    // The desk keeps full access: lists, availability, bookings.
    const branches = (await t.client.query("directory.branches", undefined, desk.token)).data as { id: string }[];
    const services = (await t.client.query("directory.services", { branchId: branches[0]!.id }, desk.token)).data as { id: string; durationMinutes: number }[];
    const created = await t.client.mutation(
      "appointments.create",
      { branchId: branches[0]!.id, serviceId: services.find((s) => s.durationMinutes === 30)!.id, start: at(date, "12:00"), customer: { phone: uniquePhone(), name: "Erika Muster" }, idempotencyKey: uniqueKey("billing") },
      desk.token,
    );
    expect(created.status).toBe(200);

    // Paid again: the agent books again.
    await stripe(stripeEvent("invoice.paid", { customer: "cus_demo_simple_salon", created: now + 5, currentPeriodEnd: now + 30 * 86_400 }));
    expect(await billing()).toMatchObject({ status: "active", voiceBookingAllowed: true });
    expect((await book("14:00")).body).toMatchObject({ ok: true });
  });
});
