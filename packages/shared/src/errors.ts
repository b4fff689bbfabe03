import { z } from "zod";
import type { UnavailableReason } from "./availability/explain.js";

/**
 * Coded domain errors. Domain code throws these; transports map them once (tRPC error formatter,
 * Express error handler), so no layer invents its own strings for expected failures.
 */
export const DOMAIN_ERROR_CODES = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "TOO_MANY_REQUESTS",
  "SERVICE_UNAVAILABLE",
  "INTERNAL",
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** A free slot offered instead of the wanted one (instants with the branch's offset). */
export const slotAlternative = z.object({ start: z.string(), end: z.string(), staffId: z.string(), staffName: z.string() });
export type SlotAlternative = z.infer<typeof slotAlternative>;

export interface DomainErrorDetails {
  /** CONFLICT or BAD_REQUEST with a `reason` on a booking: up to 3 free alternatives, the wanted staff member's first. */
  alternatives?: SlotAlternative[];
  /** BAD_REQUEST on a booking whose start could never have been offered: why (see explainUnavailableStart). */
  reason?: UnavailableReason;
  /** BAD_REQUEST: the offending fields (dotted paths). */
  fields?: string[];
  /** TOO_MANY_REQUESTS: seconds until another attempt may succeed. */
  retryAfterSeconds?: number;
  /** SERVICE_UNAVAILABLE: which dependency is down. */
  dependency?: string;
  /**
   * CONFLICT on deactivating (or moving away) a staff member, service, room or branch: the appointments
   * still ahead that it would leave behind (the first 50; `appointmentCount` says how many in all).
   */
  appointments?: AffectedAppointment[];
  appointmentCount?: number;
}

/** An appointment a set-up change would affect, as the owner needs it to decide. */
export interface AffectedAppointment {
  id: string;
  start: string;
  end: string;
  branchId: string;
  staffId: string;
  staffName: string;
  serviceName: string;
  customerName: string;
}

export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);

/** HTTP status for a domain error code (plain Express routes). */
export const httpStatusOf: Record<DomainErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};
