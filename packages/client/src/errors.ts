/**
 * Reading the API's errors: its code, the alternatives a CONFLICT offers, the reason a start was
 * refused, and whether the API could be reached at all (what decides "queue it for later").
 */
import type { SlotAlternative, UnavailableReason } from "@askproai/shared";
import { TRPCClientError } from "@trpc/client";

export type ApiErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  alternatives?: SlotAlternative[];
  reason?: UnavailableReason;
  fields?: string[];
  correlationId?: string;
}

const dataOf = (error: unknown): ErrorData | undefined =>
  error instanceof TRPCClientError ? ((error as TRPCClientError<never>).data as ErrorData | null | undefined) ?? undefined : undefined;

/** The tRPC error code the API answered with; undefined when no API answer came back. */
export const errorCodeOf = (error: unknown): ApiErrorCode | undefined => dataOf(error)?.code as ApiErrorCode | undefined;

/** CONFLICT (and some BAD_REQUESTs): up to three free slots the server offers instead. */
export const alternativesOf = (error: unknown): SlotAlternative[] => dataOf(error)?.alternatives ?? [];

/** BAD_REQUEST on a start that could never have been offered: why. */
export const reasonOf = (error: unknown): UnavailableReason | undefined => dataOf(error)?.reason;

/** The fields a BAD_REQUEST names. */
export const fieldsOf = (error: unknown): string[] => dataOf(error)?.fields ?? [];

export const correlationIdOf = (error: unknown): string | undefined => dataOf(error)?.correlationId;

/**
 * True when the API was not reached or cannot serve now: no answer at all (network down, a proxy's
 * 502/504 without a tRPC body) or SERVICE_UNAVAILABLE. Such a call may be sent again later unchanged.
 */
export const isUnreachable = (error: unknown): boolean => {
  if (!(error instanceof TRPCClientError)) return error instanceof TypeError;
  const data = dataOf(error);
  if (!data?.code) return true;
  return data.code === "SERVICE_UNAVAILABLE" || data.httpStatus === 502 || data.httpStatus === 504;
};
