/**
 * `startStripeStandIn`: Stripe's read API for what billing re-fetches (`GET /v1/subscriptions/:id`,
 * `GET /v1/customers/:id`), with Stripe's object and error shapes. Tests set the current state.
 */
import type { Request, Response } from "express";
import { type z } from "zod";
import type { FaultPlan } from "../faults.js";
import { type ListenOptions, type StandInAppOptions, type RecordedRequest, controlInput, createStandInApp, serve } from "../server.js";
import { type StripeCustomer, type StripeSubscription, type SubscriptionInput, buildCustomer, buildSubscription, customerInputSchema, subscriptionInputSchema } from "./objects.js";

export type { StripeCustomer, StripeSubscription, SubscriptionInput };

export interface StripeStandInOptions extends ListenOptions {
  /** Accepted secret keys; by default any key starting with `sk_test_` or `sk_live_`. */
  apiKeys?: string[];
  /** Seed the demo companies' customers `cus_demo_<slug>` with active subscriptions `sub_demo_<slug>` (default true). */
  demo?: boolean;
  now?: () => number;
}

export interface StripeStandIn {
  url: string;
  close(): Promise<void>;
  faults: FaultPlan;
  requests: RecordedRequest[];
  /** Creates or replaces a subscription (and its customer when missing); answers the stored object. */
  setSubscription(input: SubscriptionInput): StripeSubscription;
  setCustomer(input: z.input<typeof customerInputSchema>): StripeCustomer;
  subscriptions: Map<string, StripeSubscription>;
  customers: Map<string, StripeCustomer>;
  reset(): void;
}

export const DEMO_STRIPE_SLUGS = ["simple-salon", "hotline-clinic", "matrix-spa"];

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const stripeErrorBody = (status: number, message: string) => ({
  error: { message, type: status === 429 ? "invalid_request_error" : status >= 500 ? "api_error" : "invalid_request_error", ...(status === 429 ? { code: "rate_limit" } : {}) },
});

const missing = (kind: string, id: string) =>
  new StripeError(404, {
    code: "resource_missing",
    doc_url: "https://stripe.com/docs/error-codes/resource-missing",
    message: `No such ${kind}: '${id}'`,
    param: "id",
    type: "invalid_request_error",
  });

const mask = (key: string) => `${key.slice(0, 8)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

export const startStripeStandIn = async (options: StripeStandInOptions = {}): Promise<StripeStandIn> => {
  const now = options.now ?? Date.now;
  const subscriptions = new Map<string, StripeSubscription>();
  const customers = new Map<string, StripeCustomer>();

  const setCustomer = (input: z.input<typeof customerInputSchema>) => {
    const customer = buildCustomer(customerInputSchema.parse(input), now());
    customers.set(customer.id, customer);
    return customer;
  };
  const setSubscription = (input: SubscriptionInput) => {
    const parsed = subscriptionInputSchema.parse(input);
    if (!customers.has(parsed.customer)) setCustomer({ id: parsed.customer });
    const subscription = buildSubscription(parsed, now());
    subscriptions.set(subscription.id, subscription);
    return subscription;
  };
  const seed = () => {
    if (options.demo === false) return;
    for (const slug of DEMO_STRIPE_SLUGS) {
      const id = slug.replaceAll("-", "_");
      setCustomer({ id: `cus_demo_${id}`, name: slug, email: `owner@${slug}.example` });
      setSubscription({ id: `sub_demo_${id}`, customer: `cus_demo_${id}`, status: "active" });
    }
  };
  seed();

  const authenticate = (req: Request) => {
    const header = req.get("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, "base64").toString("utf8").split(":")[0] : undefined);
    if (!key) {
      throw new StripeError(401, {
        message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        type: "invalid_request_error",
      });
    }
    const known = options.apiKeys ? options.apiKeys.includes(key) : /^sk_(test|live)_\w+$/.test(key);
    if (!known) throw new StripeError(401, { message: `Invalid API Key provided: ${mask(key)}`, type: "invalid_request_error" });
  };

  const expand = (req: Request): string[] => {
    const raw = req.query.expand ?? req.query["expand[]"];
    return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  };

  const appOptions: StandInAppOptions = {
    errorBody: (status: number, message: string) => stripeErrorBody(status, message),
    reset: () => {
      subscriptions.clear();
      customers.clear();
      seed();
    },
    control: (router) => {
      router.get("/subscriptions", (_req, res) => res.json([...subscriptions.values()]));
      router.post("/subscriptions", (req, res) => res.status(201).json(setSubscription(controlInput(subscriptionInputSchema, req.body))));
      router.get("/customers", (_req, res) => res.json([...customers.values()]));
      router.post("/customers", (req, res) => res.status(201).json(setCustomer(controlInput(customerInputSchema, req.body))));
    },
  };
  const standIn = createStandInApp(appOptions);
  const { app } = standIn;
  app.use("/v1", (req, res, next) => {
    res.set("Request-Id", `req_${Math.random().toString(36).slice(2, 16)}`);
    res.set("Stripe-Version", String(req.get("stripe-version") ?? "2025-08-27.basil"));
    authenticate(req);
    next();
  });
  app.get("/v1/subscriptions/:id", (req, res) => {
    const subscription = subscriptions.get(req.params.id);
    if (!subscription) throw missing("subscription", req.params.id);
    const customer = customers.get(subscription.customer);
    res.json(expand(req).includes("customer") && customer ? { ...subscription, customer } : subscription);
  });
  app.get("/v1/subscriptions", (req, res) => {
    const data = [...subscriptions.values()].filter(
      (s) => (!req.query.customer || s.customer === req.query.customer) && (req.query.status === "all" ? true : req.query.status ? s.status === req.query.status : s.status !== "canceled"),
    );
    res.json({ object: "list", data, has_more: false, url: "/v1/subscriptions" });
  });
  app.get("/v1/customers/:id", (req, res) => {
    const customer = customers.get(req.params.id);
    if (!customer) throw missing("customer", req.params.id);
    res.json(customer);
  });
  app.use((error: unknown, _req: Request, res: Response, next: (e: unknown) => void) => {
    if (error instanceof StripeError) res.status(error.status).json({ error: error.body });
    else next(error);
  });
  return {
    ...(await serve(standIn, appOptions, options)),
    setSubscription,
    setCustomer,
    subscriptions,
    customers,
  };
};
