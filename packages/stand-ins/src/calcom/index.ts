/**
 * `startCalcomStandIn`: a local Cal.com API v2 for the calendar sync, its tests, the chaos suite and
 * `npm start`. Everything it can be told through the JS API it can also be told over HTTP under
 * `/__standin/...`, so another process can drive it (see the package README).
 */
import type { NextFunction, Request, Response } from "express";
import { z } from "zod";
import type { FaultPlan } from "../faults.js";
import { SlidingWindowLimiter, type RateLimitSettings } from "../rate-limit.js";
import { type ListenOptions, type StandInAppOptions, type RecordedRequest, controlInput, createStandInApp, serve } from "../server.js";
import { calcomApi, calcomErrorBody } from "./api.js";
import { BookingStore, type CalcomBooking, CalcomError, type StoredBooking } from "./bookings.js";
import { attendeeSchema, metadataSchema } from "./input.js";
import { type WebhookDelivery, WebhookSender, type WebhookSubscriber } from "./webhooks.js";

export type { CalcomBooking, StoredBooking, WebhookDelivery, WebhookSubscriber };
export { buildWebhookPayload } from "./webhooks.js";

export const DEMO_CALCOM_API_KEY = "cal_demo_simple_salon";

export interface CalcomStandInOptions extends ListenOptions {
  /** API keys that authenticate (more via `addApiKey`); default the demo company's key. */
  apiKeys?: string[];
  /** Accepted `cal-api-version` values; default `2024-08-13`. */
  apiVersions?: string[];
  /** eventTypeId → duration in minutes; others last `defaultDurationMinutes` (30). */
  eventTypes?: Record<number, number>;
  defaultDurationMinutes?: number;
  /** Unknown event type ids answer 404 instead of lasting the default duration. */
  knownEventTypesOnly?: boolean;
  /** Refuse overlapping bookings of one user and event type (400) and exact duplicates (409), as Cal.com does per host. Off by default. */
  rejectOverlaps?: boolean;
  /** Accept starts in the past (Cal.com refuses them). */
  allowPast?: boolean;
  /** Per-key limit; default 120 a minute; `false` switches it off. */
  rateLimit?: RateLimitSettings | false;
  /** Webhook subscribers (Cal.com's webhooks are per user; `apiKey` narrows one to that key's bookings). */
  webhooks?: Omit<WebhookSubscriber, "id">[];
  /** Also send webhooks for changes made through the API, as Cal.com does (our own bookings echoed back). Default true. */
  echoApiChanges?: boolean;
  now?: () => number;
}

const directCreateSchema = z.object({
  start: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "start must be an ISO-8601 instant"),
  eventTypeId: z.number().int().positive(),
  attendee: attendeeSchema,
  metadata: metadataSchema.optional(),
  lengthInMinutes: z.number().int().positive().optional(),
  /** Whose Cal.com account it lands in; default the first configured API key. */
  apiKey: z.string().optional(),
  /** The host's Cal.com user id (a team member of that account); default the key's own user. */
  userId: z.number().int().positive().optional(),
  /** `false` = the webhook is lost (recorded in the deliveries with `lost: true`, never sent). */
  deliver: z.boolean().default(true),
});
export type DirectBookingInput = z.input<typeof directCreateSchema>;

const directChangeSchema = z.object({
  start: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "start must be an ISO-8601 instant").optional(),
  reason: z.string().optional(),
  deliver: z.boolean().default(true),
});

export interface DirectResult {
  booking: CalcomBooking;
  deliveries: WebhookDelivery[];
}

export interface CalcomStandIn {
  url: string;
  close(): Promise<void>;
  faults: FaultPlan;
  requests: RecordedRequest[];
  /** Every booking in memory (including cancelled and rescheduled ones), with its API key and origin. */
  bookings(): StoredBooking[];
  addApiKey(key: string): void;
  setRateLimit(settings: RateLimitSettings | false): void;
  setEventTypeDuration(eventTypeId: number, minutes: number): void;
  subscribe(subscriber: Omit<WebhookSubscriber, "id">): WebhookSubscriber;
  deliveries: WebhookDelivery[];
  /** Resolves when every webhook delivery started so far has finished. */
  webhooksSettled(): Promise<void>;
  /** Changes made "directly in Cal.com" (not through the API client), each followed by its webhook. */
  direct: {
    create(input: DirectBookingInput): Promise<DirectResult>;
    reschedule(uid: string, change: { start: string; reason?: string; deliver?: boolean }): Promise<DirectResult>;
    cancel(uid: string, change?: { reason?: string; deliver?: boolean }): Promise<DirectResult>;
  };
  reset(): void;
}

export const startCalcomStandIn = async (options: CalcomStandInOptions = {}): Promise<CalcomStandIn> => {
  const now = options.now ?? Date.now;
  const apiKeys = new Set(options.apiKeys ?? [DEMO_CALCOM_API_KEY]);
  const eventTypes: Record<number, number> = { ...options.eventTypes };
  const store = new BookingStore({
    eventTypes,
    defaultDurationMinutes: options.defaultDurationMinutes ?? 30,
    knownEventTypesOnly: options.knownEventTypesOnly ?? false,
    rejectOverlaps: options.rejectOverlaps ?? false,
    allowPast: options.allowPast ?? false,
    now,
  });
  const webhooks = new WebhookSender(now);
  for (const subscriber of options.webhooks ?? []) webhooks.subscribe(subscriber);
  const limiter = new SlidingWindowLimiter(options.rateLimit ?? { perMinute: 120 }, now);
  let echoApiChanges = options.echoApiChanges ?? true;

  const defaultKey = (): string => [...apiKeys][0] ?? DEMO_CALCOM_API_KEY;
  const direct: CalcomStandIn["direct"] = {
    create: async (raw) => {
      const { apiKey = defaultKey(), deliver, userId, ...input } = directCreateSchema.parse(raw);
      const stored = store.create(apiKey, { ...input, start: new Date(input.start).toISOString() }, "direct", undefined, userId);
      return { booking: stored.booking, deliveries: await webhooks.send("BOOKING_CREATED", stored.booking, apiKey, { lost: !deliver }) };
    },
    reschedule: async (uid, raw) => {
      const change = directChangeSchema.parse(raw);
      if (!change.start) throw new CalcomError(400, "start is required to reschedule");
      const { from, to } = store.reschedule(uid, undefined, new Date(change.start).toISOString(), change.reason, "direct");
      return { booking: to.booking, deliveries: await webhooks.send("BOOKING_RESCHEDULED", to.booking, to.apiKey, { rescheduledFrom: from.booking, lost: !change.deliver }) };
    },
    cancel: async (uid, raw = {}) => {
      const change = directChangeSchema.parse(raw);
      const stored = store.cancel(uid, undefined, change.reason);
      return { booking: stored.booking, deliveries: await webhooks.send("BOOKING_CANCELLED", stored.booking, stored.apiKey, { lost: !change.deliver }) };
    },
  };

  const reset = () => {
    store.clear();
    webhooks.deliveries.length = 0;
  };
  const appOptions: StandInAppOptions = {
    errorBody: calcomErrorBody,
    reset,
    control: (router) => {
      router.get("/bookings", (_req, res) => res.json(store.all()));
      router.post("/keys", (req, res) => {
        const { key } = controlInput(z.object({ key: z.string().min(1) }), req.body);
        apiKeys.add(key);
        res.status(204).end();
      });
      router.put("/rate-limit", (req, res) => {
        const body = controlInput(z.object({ perMinute: z.number().int().positive().nullable(), windowMs: z.number().int().positive().optional() }), req.body);
        limiter.configure(body.perMinute === null ? false : { perMinute: body.perMinute, ...(body.windowMs ? { windowMs: body.windowMs } : {}) });
        res.json({ rateLimit: limiter.current() });
      });
      router.put("/event-types", (req, res) => {
        Object.assign(eventTypes, controlInput(z.record(z.string().regex(/^\d+$/), z.number().int().positive()), req.body));
        res.json(eventTypes);
      });
      router.put("/echo", (req, res) => {
        echoApiChanges = controlInput(z.object({ enabled: z.boolean() }), req.body).enabled;
        res.json({ enabled: echoApiChanges });
      });
      router.get("/webhooks", (_req, res) => res.json(webhooks.subscribers));
      router.post("/webhooks", (req, res) => {
        const body = controlInput(z.object({ url: z.url(), secret: z.string().optional(), apiKey: z.string().optional() }), req.body);
        res.status(201).json(webhooks.subscribe(body));
      });
      router.delete("/webhooks", (_req, res) => {
        webhooks.unsubscribeAll();
        res.status(204).end();
      });
      router.get("/webhook-deliveries", (_req, res) => res.json(webhooks.deliveries));
      router.post("/direct/bookings", async (req, res) => res.status(201).json(await direct.create(controlInput(directCreateSchema, req.body))));
      router.post("/direct/bookings/:uid/reschedule", async (req, res) => {
        const change = controlInput(directChangeSchema.extend({ start: z.string() }), req.body);
        res.status(201).json(await direct.reschedule(req.params.uid, change));
      });
      router.post("/direct/bookings/:uid/cancel", async (req, res) => res.json(await direct.cancel(req.params.uid, controlInput(directChangeSchema, req.body))));
      router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
        if (error instanceof CalcomError) res.status(error.status).json({ error: error.message });
        else next(error);
      });
    },
  };
  const standIn = createStandInApp(appOptions);
  standIn.app.use(
    "/v2",
    calcomApi({ store, webhooks, limiter, apiKeys, apiVersions: options.apiVersions ?? ["2024-08-13"], echoApiChanges: () => echoApiChanges }),
  );
  const base = await serve(standIn, appOptions, options);
  return {
    ...base,
    close: async () => {
      await base.close();
      await webhooks.settled();
    },
    bookings: () => store.all(),
    addApiKey: (key) => void apiKeys.add(key),
    setRateLimit: (settings) => limiter.configure(settings),
    setEventTypeDuration: (id, minutes) => void (eventTypes[id] = minutes),
    subscribe: (subscriber) => webhooks.subscribe(subscriber),
    deliveries: webhooks.deliveries,
    webhooksSettled: () => webhooks.settled(),
    direct,
  };
};
