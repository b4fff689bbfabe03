/**
 * The Cal.com API v2 booking routes (cal-api-version 2024-08-13) over the in-memory store, with Cal.com's
 * checks in its order: version header, API key, per-key rate limit, then the route's own validation.
 */
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response, Router } from "express";
import express from "express";
import type { z } from "zod";
import type { SlidingWindowLimiter } from "../rate-limit.js";
import { bodyErrorOf } from "../server.js";
import { type BookingStore, CalcomError, type StoredBooking } from "./bookings.js";
import { cancelBookingSchema, createBookingSchema, describeIssues, listBookingsSchema, rescheduleBookingSchema } from "./input.js";
import type { CalcomTrigger, WebhookSender } from "./webhooks.js";

const EXCEPTIONS: Record<number, string> = {
  400: "BadRequestException",
  401: "UnauthorizedException",
  403: "ForbiddenException",
  404: "NotFoundException",
  409: "ConflictException",
  429: "ThrottlerException",
  500: "InternalServerErrorException",
  502: "BadGatewayException",
  503: "ServiceUnavailableException",
  504: "GatewayTimeoutException",
};

/** Cal.com's HttpException filter shape. */
export const calcomErrorBody = (status: number, message: string, req: Request) => ({
  status: "error",
  timestamp: new Date().toISOString(),
  path: req.originalUrl,
  error: { code: EXCEPTIONS[status] ?? "HttpException", message },
});

export interface CalcomApiDeps {
  store: BookingStore;
  webhooks: WebhookSender;
  limiter: SlidingWindowLimiter;
  apiKeys: Set<string>;
  apiVersions: string[];
  /** Whether changes made through the API are echoed as webhooks (Cal.com does). */
  echoApiChanges(): boolean;
}

const parse = <T extends z.ZodType>(schema: T, req: Request, value: unknown): z.infer<T> => {
  const bodyError = bodyErrorOf(req);
  if (bodyError) throw new CalcomError(400, bodyError);
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new CalcomError(400, describeIssues(parsed.error));
  return parsed.data;
};

const apiKeyOf = (res: Response): string => res.locals.apiKey as string;

export const calcomApi = (deps: CalcomApiDeps): Router => {
  const router = express.Router();
  const { store, webhooks, limiter } = deps;

  const echo = (trigger: CalcomTrigger, stored: StoredBooking, from?: StoredBooking) => {
    if (deps.echoApiChanges()) void webhooks.send(trigger, stored.booking, stored.apiKey, from ? { rescheduledFrom: from.booking } : {});
  };

  router.use((req: Request, res: Response, next: NextFunction) => {
    res.set("X-Request-Id", randomUUID());
    const version = req.get("cal-api-version");
    if (!version || !deps.apiVersions.includes(version)) {
      // The real API silently serves an older endpoint version whose inputs differ; answering 400 makes the mistake visible.
      throw new CalcomError(400, `cal-api-version header must be ${deps.apiVersions.join(" or ")}; got ${version ? `"${version}"` : "none"}`);
    }
    const match = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "");
    if (!match) throw new CalcomError(401, "No Authorization header or API key provided: expected Authorization: Bearer <api key>");
    if (!deps.apiKeys.has(match[1]!)) throw new CalcomError(401, "Invalid API Key");
    res.locals.apiKey = match[1];
    const decision = limiter.hit(match[1]!);
    if (decision) {
      res.set({
        "X-RateLimit-Limit-Default": String(decision.limit),
        "X-RateLimit-Remaining-Default": String(decision.remaining),
        "X-RateLimit-Reset-Default": String(decision.retryAfterSeconds),
      });
      if (!decision.allowed) {
        res.set("Retry-After", String(decision.retryAfterSeconds));
        throw new CalcomError(429, "ThrottlerException: Too Many Requests");
      }
    }
    next();
  });

  router.post("/bookings", (req, res) => {
    const input = parse(createBookingSchema, req, req.body);
    const stored = store.create(apiKeyOf(res), input, "api");
    res.status(201).json({ status: "success", data: stored.booking });
    echo("BOOKING_CREATED", stored);
  });

  router.get("/bookings", (req, res) => {
    const query = parse(listBookingsSchema, req, req.query);
    const { items, total } = store.list(apiKeyOf(res), query);
    const totalPages = Math.max(1, Math.ceil(total / query.take));
    const currentPage = Math.floor(query.skip / query.take) + 1;
    res.json({
      status: "success",
      data: items,
      pagination: {
        totalItems: total,
        remainingItems: Math.max(0, total - query.skip - items.length),
        returnedItems: items.length,
        itemsPerPage: query.take,
        currentPage,
        totalPages,
        hasNextPage: query.skip + items.length < total,
        hasPreviousPage: query.skip > 0,
      },
    });
  });

  router.get("/bookings/:uid", (req, res) => {
    res.json({ status: "success", data: store.get(req.params.uid).booking });
  });

  router.post("/bookings/:uid/cancel", (req, res) => {
    const input = parse(cancelBookingSchema, req, req.body);
    const stored = store.cancel(req.params.uid, apiKeyOf(res), input.cancellationReason);
    res.status(200).json({ status: "success", data: stored.booking });
    echo("BOOKING_CANCELLED", stored);
  });

  router.post("/bookings/:uid/reschedule", (req, res) => {
    const input = parse(rescheduleBookingSchema, req, req.body);
    const { from, to } = store.reschedule(req.params.uid, apiKeyOf(res), input.start, input.reschedulingReason, "api");
    res.status(201).json({ status: "success", data: to.booking });
    echo("BOOKING_RESCHEDULED", to, from);
  });

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof CalcomError)) return next(error);
    res.status(error.status).json(calcomErrorBody(error.status, error.message, req));
  });
  return router;
};
