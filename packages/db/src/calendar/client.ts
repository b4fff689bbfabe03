/**
 * The Cal.com API v2 client (contract.md, "Calendar sync with Cal.com"): `cal-api-version: 2024-08-13`,
 * `Authorization: Bearer <the company's API key>`, JSON. Every call is handed to `onCall` already
 * redacted (no key, no attendee name, phone or e-mail) for `api_call_logs`, and goes through `guard`
 * (the company's circuit breaker). Answers are classified for the sync:
 * - `CalcomRejected`: a 4xx other than 409/429, the request itself is wrong, retrying cannot help;
 * - `CalcomRetryable`: 409, 429 (with Retry-After), 5xx, timeout or no connection; `maybeDone` when
 *   the request may have taken effect (a create that timed out may have been stored).
 */
import { redactEmail, redactPhone, redactText } from "../ops/redact.js";
import type { OutsideCall } from "../ops/outside-calls.js";

export const CALCOM_API_VERSION = "2024-08-13";

export interface CalcomBooking {
  id: number;
  uid: string;
  status: string;
  start: string;
  end: string;
  eventTypeId?: number;
  eventType?: { id: number };
  hosts?: { id: number }[];
  metadata?: Record<string, unknown>;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  attendees?: { name?: string; email?: string; phoneNumber?: string | null; timeZone?: string }[];
}

export interface CreateBookingBody {
  start: string;
  eventTypeId: number;
  attendee: { name: string; timeZone: string; phoneNumber: string; email?: string; language: "de" };
  metadata: { askproaiAppointmentId: string };
}

export interface ListBookingsQuery {
  eventTypeId?: number;
  afterStart?: string;
  beforeEnd?: string;
  afterCreatedAt?: string;
  status?: string;
  take?: number;
  skip?: number;
}

export class CalcomRejected extends Error {
  override readonly name = "CalcomRejected";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class CalcomRetryable extends Error {
  override readonly name = "CalcomRetryable";
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterMs?: number,
    /** The request may have taken effect (timeout after sending, a 5xx). */
    readonly maybeDone = false,
  ) {
    super(message);
  }
  /** Counts against the breaker: the service is failing (5xx, timeout, no connection), not merely busy. */
  get isOutage() {
    return this.status === null || this.status >= 500;
  }
}

export interface CalcomClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  onCall: (call: OutsideCall) => Promise<void> | void;
  /** Runs each request (the circuit breaker); default: just runs it. */
  guard?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface CalcomClient {
  create(body: CreateBookingBody): Promise<CalcomBooking>;
  get(uid: string): Promise<CalcomBooking | null>;
  cancel(uid: string, cancellationReason: string): Promise<CalcomBooking>;
  reschedule(uid: string, start: string, reschedulingReason: string): Promise<CalcomBooking>;
  list(query: ListBookingsQuery): Promise<{ bookings: CalcomBooking[]; hasNextPage: boolean }>;
}

/** What a booking may say about itself in the log: ids, times, status, our metadata; never people. */
const redactBooking = (b: Partial<CalcomBooking> | undefined) =>
  b ? { id: b.id, uid: b.uid, status: b.status, start: b.start, end: b.end, eventTypeId: b.eventTypeId ?? b.eventType?.id, askproaiAppointmentId: b.metadata ? appointmentIdOf(b as Pick<CalcomBooking, "metadata">) : undefined, rescheduledFromUid: b.rescheduledFromUid } : null;

const redactRequest = (body: unknown): Record<string, unknown> | null => {
  if (!body || typeof body !== "object") return null;
  const { attendee, ...rest } = body as { attendee?: CreateBookingBody["attendee"] } & Record<string, unknown>;
  if (!attendee) return rest;
  return {
    ...rest,
    attendee: {
      name: "[redacted]",
      timeZone: attendee.timeZone,
      language: attendee.language,
      phoneNumber: redactPhone(attendee.phoneNumber),
      ...(attendee.email ? { email: redactEmail(attendee.email) } : {}),
    },
  };
};

const causeCode = (error: unknown): string | undefined => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
};
/** fetch errors that mean the request never left this machine. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

const retryAfterMsOf = (header: string | null): number | undefined => {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
};

export const createCalcomClient = (options: CalcomClientOptions): CalcomClient => {
  const base = options.baseUrl.replace(/\/+$/, "");
  const guard = options.guard ?? ((fn) => fn());

  const request = async <T>(method: "GET" | "POST", path: string, body?: unknown, logPath = path): Promise<{ status: number; data: T; json: Record<string, unknown> }> =>
    guard(async () => {
      const started = Date.now();
      const log = (statusCode: number | null, responseBody: Record<string, unknown> | null, error: string | null) =>
        options.onCall({ service: "calcom", method, endpoint: logPath, statusCode, durationMs: Date.now() - started, requestBody: redactRequest(body), responseBody, error });
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            "cal-api-version": CALCOM_API_VERSION,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        const timedOut = (error as { name?: string } | null)?.name === "TimeoutError";
        const detail = timedOut ? `timeout after ${options.timeoutMs} ms` : (causeCode(error) ?? (error as Error).message ?? "request failed");
        await log(null, null, detail);
        throw new CalcomRetryable(`Cal.com ${method} ${logPath}: ${detail}`, null, undefined, !NEVER_SENT.has(causeCode(error) ?? ""));
      }
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = {};
      }
      const status = response.status;
      if (status >= 200 && status < 300) {
        const data = json.data as T;
        await log(status, Array.isArray(data) ? { returned: data.length } : { data: redactBooking(data as Partial<CalcomBooking>) }, null);
        return { status, data, json };
      }
      const err = (json.error ?? {}) as { code?: unknown; message?: unknown };
      const detail = redactText(`${status} ${typeof err.code === "string" ? err.code : "error"}: ${typeof err.message === "string" ? err.message : text.slice(0, 200) || "no message"}`);
      await log(status, { error: { code: typeof err.code === "string" ? err.code : null } }, detail);
      if (status === 429) throw new CalcomRetryable(`Cal.com rate limit: ${detail}`, status, retryAfterMsOf(response.headers.get("retry-after")));
      if (status === 409 || status >= 500) throw new CalcomRetryable(`Cal.com ${method} ${logPath}: ${detail}`, status, retryAfterMsOf(response.headers.get("retry-after")), status >= 500);
      throw new CalcomRejected(status, detail);
    });

  return {
    async create(body) {
      return (await request<CalcomBooking>("POST", "/v2/bookings", body)).data;
    },
    async get(uid) {
      try {
        return (await request<CalcomBooking>("GET", `/v2/bookings/${encodeURIComponent(uid)}`, undefined, "/v2/bookings/{uid}")).data;
      } catch (error) {
        if (error instanceof CalcomRejected && error.status === 404) return null;
        throw error;
      }
    },
    async cancel(uid, cancellationReason) {
      return (await request<CalcomBooking>("POST", `/v2/bookings/${encodeURIComponent(uid)}/cancel`, { cancellationReason }, "/v2/bookings/{uid}/cancel")).data;
    },
    async reschedule(uid, start, reschedulingReason) {
      return (await request<CalcomBooking>("POST", `/v2/bookings/${encodeURIComponent(uid)}/reschedule`, { start, reschedulingReason }, "/v2/bookings/{uid}/reschedule")).data;
    },
    async list(query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
      const { data, json } = await request<CalcomBooking[]>("GET", `/v2/bookings?${params.toString()}`, undefined, "/v2/bookings");
      const pagination = (json.pagination ?? {}) as { hasNextPage?: unknown };
      return { bookings: Array.isArray(data) ? data : [], hasNextPage: pagination.hasNextPage === true };
    },
  };
};

/** A booking that still holds its time in Cal.com. */
export const isLive = (b: Pick<CalcomBooking, "status">) => b.status === "accepted" || b.status === "pending";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Our appointment's id in a booking's metadata (anyone can write metadata: only a UUID counts). */
export const appointmentIdOf = (b: Pick<CalcomBooking, "metadata">): string | null => {
  const id = b.metadata?.askproaiAppointmentId;
  return typeof id === "string" && UUID.test(id) ? id.toLowerCase() : null;
};
