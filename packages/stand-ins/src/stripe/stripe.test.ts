import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call } from "../testing/receiver.js";
import { type StripeStandIn, startStripeStandIn } from "./index.js";

let stripe: StripeStandIn;
beforeEach(async () => {
  stripe = await startStripeStandIn();
});
afterEach(() => stripe.close());

const auth = { authorization: "Bearer sk_test_standin" };

describe("Stripe stand-in", () => {
  it("serves the demo companies' active subscriptions and customers in Stripe's shape", async () => {
    const res = await call(`${stripe.url}/v1/subscriptions/sub_demo_simple_salon`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: "sub_demo_simple_salon", object: "subscription", customer: "cus_demo_simple_salon", status: "active" });
    expect(res.body.current_period_end).toBeGreaterThan(Date.now() / 1000);
    expect(res.body.items).toMatchObject({ object: "list", data: [{ object: "subscription_item", price: { object: "price", unit_amount: 4900 } }] });
    const customer = await call(`${stripe.url}/v1/customers/cus_demo_matrix_spa`, { headers: auth });
    expect(customer.body).toMatchObject({ id: "cus_demo_matrix_spa", object: "customer", email: "owner@matrix-spa.example" });
    const expanded = await call(`${stripe.url}/v1/subscriptions/sub_demo_matrix_spa?expand[]=customer`, { headers: auth });
    expect(expanded.body.customer).toMatchObject({ object: "customer", id: "cus_demo_matrix_spa" });
  });

  it("returns the state a test sets, over the JS API or over HTTP", async () => {
    const periodEnd = Math.floor(Date.now() / 1000) - 3600;
    stripe.setSubscription({ id: "sub_1", customer: "cus_1", status: "past_due", currentPeriodEnd: periodEnd });
    const res = await call(`${stripe.url}/v1/subscriptions/sub_1`, { headers: auth });
    expect(res.body).toMatchObject({ status: "past_due", current_period_end: periodEnd, customer: "cus_1" });
    expect(res.body.items.data[0].current_period_end).toBe(periodEnd);

    const set = await call(`${stripe.url}/__standin/subscriptions`, { body: { id: "sub_1", customer: "cus_1", status: "canceled", canceledAt: periodEnd } });
    expect(set.status).toBe(201);
    expect((await call(`${stripe.url}/v1/subscriptions/sub_1`, { headers: auth })).body).toMatchObject({ status: "canceled", canceled_at: periodEnd });
    const list = await call(`${stripe.url}/v1/subscriptions?customer=cus_1&status=all`, { headers: auth });
    expect(list.body).toMatchObject({ object: "list", data: [{ id: "sub_1" }] });
    const bad = await call(`${stripe.url}/__standin/subscriptions`, { body: { id: "nope", customer: "cus_1", status: "bogus" } });
    expect(bad.status).toBe(400);
  });

  it("answers Stripe's errors: no key, bad key, unknown id", async () => {
    const none = await call(`${stripe.url}/v1/subscriptions/sub_demo_simple_salon`);
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ type: "invalid_request_error", message: expect.stringContaining("did not provide an API key") });
    const wrong = await call(`${stripe.url}/v1/subscriptions/sub_demo_simple_salon`, { headers: { authorization: "Bearer pk_test_123456789" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/^Invalid API Key provided: pk_test_\**6789$/);
    const unknown = await call(`${stripe.url}/v1/subscriptions/sub_missing`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: { code: "resource_missing", doc_url: "https://stripe.com/docs/error-codes/resource-missing", message: "No such subscription: 'sub_missing'", param: "id", type: "invalid_request_error" },
    });
    const basic = await call(`${stripe.url}/v1/customers/cus_demo_simple_salon`, { headers: { authorization: `Basic ${Buffer.from("sk_test_x:").toString("base64")}` } });
    expect(basic.status).toBe(200);
  });

  it("fails on demand with Stripe's error shape", async () => {
    stripe.faults.add({ kind: "status", status: 500, count: 1 });
    const res = await call(`${stripe.url}/v1/subscriptions/sub_demo_simple_salon`, { headers: auth });
    expect(res.status).toBe(500);
    expect(res.body.error.type).toBe("api_error");
    expect((await call(`${stripe.url}/v1/subscriptions/sub_demo_simple_salon`, { headers: auth })).status).toBe(200);
  });
});
