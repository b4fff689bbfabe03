import { AsyncLocalStorage } from "node:async_hooks";
import { classifyDbError, contextFor, type OperationContext } from "@askproai/db";
import { authenticate, type AuthenticatedSession } from "@askproai/db/auth";
import { authenticatePlatform, type PlatformActing, type PlatformSessionOf } from "@askproai/db/platform";
import { DomainError, describeIssues, issueFields } from "@askproai/shared";
import { TRPCError, initTRPC } from "@trpc/server";
import type { CreateExpressContextOptions } from "@trpc/server/adapters/express";
import type { Logger } from "pino";
import { z } from "zod";
import type { ApiDeps } from "./deps.js";
import { TRPC_CODE } from "./errors.js";

export interface Context {
  deps: ApiDeps;
  correlationId: string;
  log: Logger;
  ip: string | undefined;
  userAgent: string | undefined;
  authorization: string | undefined;
  /** "desktop" when the front-desk app calls (x-askproai-client header); recorded as the booking source. */
  client: string | undefined;
}

export const createContextFactory =
  (deps: ApiDeps) =>
  ({ req, res, info }: CreateExpressContextOptions): Context => ({
    deps,
    correlationId: res.locals.correlationId as string,
    log: (res.locals.log as Logger | undefined) ?? deps.logger,
    ip: req.ip,
    userAgent: req.get("user-agent"),
    // EventSource cannot send headers: a subscription may pass its token as a connection parameter.
    authorization: req.get("authorization") ?? (info.connectionParams?.token ? `Bearer ${info.connectionParams.token}` : undefined),
    client: req.get("x-askproai-client"),
  });

/**
 * The request's correlation id for errors tRPC raises before it creates a context (a malformed batch,
 * mixed procedure types, an unsupported method): set around the tRPC handler in routes/trpc.ts.
 */
export const trpcRequestCorrelation = new AsyncLocalStorage<string>();

const t = initTRPC.context<Context>().create({
  // No transformer: the contract is plain JSON for scripts and the voice agent alike.
  // Stacks never go to clients (the formatter drops them), so tRPC need not format one per error.
  isDev: false,
  // Server-sent events: a ping keeps proxies from closing a quiet subscription; clients reconnect when pings stop.
  sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const correlationId = ctx?.correlationId ?? trpcRequestCorrelation.getStore();
    const data: Record<string, unknown> = { ...shape.data, correlationId };
    delete data.stack;
    let message = shape.message;
    if (cause instanceof z.ZodError) {
      message = `Invalid input: ${describeIssues(cause.issues)}`;
      data.fields = issueFields(cause.issues);
    } else if (cause instanceof DomainError) {
      Object.assign(data, cause.details);
    } else if (error.code === "INTERNAL_SERVER_ERROR") {
      // Never leak driver messages or SQL to clients; the log has the details under this id.
      message = `internal error (correlation id ${correlationId ?? "unknown"})`;
    }
    return { ...shape, message, data };
  },
});

/**
 * The coded error an error is answered as, or null for an unexpected one (a 500, logged once). An
 * exhausted pool or a database that does not answer is a reason to retry, never a 500.
 */
export const asDomainError = (cause: unknown): DomainError | null => {
  if (cause instanceof DomainError) return cause;
  if (cause && classifyDbError(cause).kind === "unavailable") {
    return new DomainError("SERVICE_UNAVAILABLE", "the service is busy or the database does not answer; try again shortly", { dependency: "postgresql", retryAfterSeconds: 1 }, { cause });
  }
  return null;
};

/** Turns coded domain errors into the matching tRPC error, once, for every procedure. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = asDomainError(result.error.cause);
    if (cause) throw new TRPCError({ code: TRPC_CODE[cause.code], message: cause.message, cause });
  }
  return result;
});

/** Mutations that can change what a session authenticates as (logout, users, roles, suspension, …). */
const AUTH_CHANGING = ["auth.", "setup.", "platform."];

/**
 * After such a mutation this process forgets the sessions it has checked at once; other processes
 * hear of the change through PostgreSQL (the session cache's NOTIFY), a moment later.
 */
const sessionsForgotten = t.middleware(async ({ ctx, type, path, next }) => {
  const result = await next();
  if (type === "mutation" && AUTH_CHANGING.some((prefix) => path.startsWith(prefix))) ctx.deps.sessions.invalidate();
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors).use(sessionsForgotten);

export interface AuthedContext extends Context {
  session: AuthenticatedSession;
  /**
   * The only handle an authenticated procedure passes to domain code: bound to the user's company,
   * carrying who acts (the user), from where (desktop or API) and under which correlation id.
   */
  op: OperationContext;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export const bearerToken = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];

/** The operation context of an authenticated request. */
const operationContextOf = (deps: ApiDeps, session: AuthenticatedSession, request: { correlationId: string; client?: string; log: Logger }) =>
  contextFor(deps.domain, {
    companyId: session.user.companyId,
    correlationId: request.correlationId,
    actor: { type: "user", id: session.user.id, name: session.user.name },
    source: request.client === "desktop" ? "desktop" : "api",
    log: request.log,
  });

/**
 * What every authenticated call starts with (procedures and the HTTP fast paths alike): the session
 * behind the token, the company's request budget spent, a logger with user and company, the operation
 * context. Null without a valid session.
 */
export const authorize = async (deps: ApiDeps, token: string | undefined, request: { correlationId: string; client?: string; log: Logger }) => {
  const session = token ? await authenticate(deps.db, token, deps.sessions) : null;
  if (!session) return null;
  await deps.budgets.company(session.user.companyId);
  const log = request.log.child({ userId: session.user.id, companyId: session.user.companyId });
  return { session, log, op: operationContextOf(deps, session, { ...request, log }) };
};

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const authorized = await authorize(ctx.deps, bearerToken(ctx.authorization), { correlationId: ctx.correlationId, client: ctx.client, log: ctx.log });
  if (!authorized) throw new DomainError("UNAUTHORIZED", "a valid bearer token is required");
  const { session, log, op } = authorized;
  return next({ ctx: { ...ctx, log, session, op } satisfies AuthedContext });
});

/** Only these roles may call the procedure (the company's owner and admins for configuration). */
export const requireRole = (...roles: AuthedContext["session"]["user"]["role"][]) =>
  protectedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.session.user.role)) throw new DomainError("FORBIDDEN", `needs the role ${roles.join(" or ")}`);
    return next();
  });

export interface PlatformContext extends Context {
  platform: PlatformSessionOf;
  /** Who acts in the companies' audit logs: the operator, by name. */
  acting: PlatformActing;
}

/**
 * AskProAI's own operators (platform.*): authenticated against `platform_sessions` only, so a company
 * user's token never opens these and an operator's token never passes `protectedProcedure`.
 */
export const platformProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const token = bearerToken(ctx.authorization);
  const platform = token ? await authenticatePlatform(ctx.deps.db, token) : null;
  if (!platform) throw new DomainError("UNAUTHORIZED", "a valid platform operator token is required");
  const log = ctx.log.child({ operatorId: platform.operator.id });
  const acting: PlatformActing = {
    actor: { type: "platform_operator", id: platform.operator.id, name: `${platform.operator.name} (AskProAI)` },
    correlationId: ctx.correlationId,
  };
  return next({ ctx: { ...ctx, log, platform, acting } satisfies PlatformContext });
});
