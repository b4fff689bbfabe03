/**
 * The one error shape of every answer, tRPC procedures and plain Express routes alike:
 * `{ error: { message, code: <JSON-RPC code>, data: { code, httpStatus, correlationId, path?, ...details } } }`.
 * tRPC's own formatter (trpc.ts) and this mapper for Express routes produce the same body.
 */
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import { DomainError, httpStatusOf, type DomainErrorCode } from "@askproai/shared";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { ErrorRequestHandler, Response } from "express";

export const TRPC_CODE: Record<DomainErrorCode, keyof typeof TRPC_ERROR_CODES_BY_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export const errorBody = (error: DomainError, extra: { correlationId?: string; path?: string } = {}) => {
  const code = TRPC_CODE[error.code];
  return {
    error: {
      message: error.message,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: { code, httpStatus: httpStatusOf[error.code], ...(extra.path ? { path: extra.path } : {}), correlationId: extra.correlationId, ...error.details },
    },
  };
};

export const sendError = (res: Response, error: DomainError, path?: string) => {
  const body = errorBody(error, { correlationId: res.locals.correlationId as string | undefined, path });
  if (error.details.retryAfterSeconds !== undefined) res.setHeader("retry-after", String(Math.ceil(error.details.retryAfterSeconds)));
  res.status(body.error.data.httpStatus).json(body);
};

/** Body-parser failures carry an HTTP status and a type; everything else unexpected is a 500, logged once. */
const fromExpressError = (error: unknown): DomainError | null => {
  if (error instanceof DomainError) return error;
  const e = error as { status?: unknown; type?: unknown; message?: unknown } | null;
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    if (error instanceof DomainError) return error;
    if (e.status === 413) return new DomainError("PAYLOAD_TOO_LARGE", "request body too large");
    return new DomainError("BAD_REQUEST", e.type === "entity.parse.failed" ? "request body is not valid JSON" : String(e.message ?? "bad request"));
  }
  return null;
};

export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const known = fromExpressError(error);
  if (known) return sendError(res, known);
  req.log?.error({ err: error }, "request failed");
  sendError(res, new DomainError("INTERNAL", `internal error (correlation id ${res.locals.correlationId})`));
};

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers or URL over the size limit,
 * malformed request lines) get the same error shape instead of an empty answer.
 */
export const answerClientErrors = (server: Server) => {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
    const status = tooLarge ? 431 : 400;
    // No request reached Express, so no correlation id was taken from it: this answer gets its own.
    const correlationId = randomUUID();
    const body = JSON.stringify({
      error: {
        message: tooLarge ? "request headers or URL too large; send large inputs as a POST body" : "malformed HTTP request",
        code: TRPC_ERROR_CODES_BY_KEY.BAD_REQUEST,
        data: { code: "BAD_REQUEST", httpStatus: status, correlationId },
      },
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\ncontent-type: application/json\r\nx-correlation-id: ${correlationId}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
};
