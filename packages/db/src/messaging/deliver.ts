/**
 * Delivering one planned message, at most once, whatever retries, crashes and outages happen.
 *
 * The row is CLAIMED (state `sending`, attempt recorded and committed) before the gateway is called,
 * and settled afterwards (`sent`, `failed`, or back to `pending` when it certainly did not go out).
 * Neither Twilio nor SMTP can deduplicate a send, so the dangerous case is an attempt whose outcome was
 * lost: a timeout or reset after the request left, a 5xx, or a worker killed between claim and settle.
 * Such a row stays `sending`; the next attempt (after `inFlightGraceMs`, when a worker may have died
 * mid-call) resolves it explicitly instead of sending blind:
 * - SMS: Twilio's message list is asked for a message to that number since the attempt started whose
 *   body hashes the same. Found → `sent`; not found → sent again. (Trade-off: a gateway that stored the
 *   message but does not list it yet would let a duplicate through; Twilio lists a message as soon as
 *   it answers the create, and the grace period covers requests still in flight.)
 * - E-mail: SMTP cannot be asked, so the row becomes `unknown` and is NOT sent again: a lost e-mail
 *   (the SMS carries the same news) is preferred to a duplicate.
 * A message that no longer says anything true (a reminder of a moved or cancelled appointment, a
 * confirmation overtaken by a change notice, an expired offer) is `skipped`, checked at send time.
 */
import type { OperationContext } from "../context.js";
import { logOutsideCall } from "./call-log.js";
import { loadMessageFacts, type MessageFacts } from "./facts.js";
import { localDateTime } from "./local-time.js";
import type { Mailer } from "./mailer.js";
import type { SendOutcome } from "./outcome.js";
import { isQuietTime, outsideQuietHours } from "./quiet-hours.js";
import { redactText } from "../ops/redact.js";
import { sha256, type SmsGateway } from "./sms-gateway.js";
import { HINT, builtInText, renderMessage, type MessageText } from "./templates.js";

export interface MessagingTransports {
  /** null: no gateway configured (outside production without stand-ins): messages are skipped. */
  sms: SmsGateway | null;
  mail: Mailer | null;
}

export interface DeliveryOptions {
  /** How long an attempt that never reported back may still be in flight (longer than the clients' timeouts). */
  inFlightGraceMs?: number;
}

export const DEFAULT_IN_FLIGHT_GRACE_MS = 60_000;

export type DeliveryResult =
  | { state: "sent" | "failed" | "skipped" | "unknown"; detail?: string }
  | { state: "deferred"; until: number }
  | { state: "done"; detail: string };

/** The message may go out on a later attempt (BullMQ retries with backoff); nothing is lost by waiting. */
export class RetryLater extends Error {
  override readonly name = "RetryLater";
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

type Ctx = Pick<OperationContext, "companyId" | "correlationId" | "sql" | "log" | "now">;

/** Why a message has nothing left to say now, or null when it still does. */
const irrelevance = (f: MessageFacts, now: number): string | null => {
  switch (f.kind) {
    case "confirmation":
    case "rescheduled":
      if (!f.appointment || !["pending", "confirmed"].includes(f.appointment.status)) return `appointment is ${f.appointment?.status ?? "gone"}`;
      return f.superseded ? "a later change notice replaces it" : null;
    case "cancellation":
      return f.appointment?.status === "cancelled" ? null : `appointment is ${f.appointment?.status ?? "gone"}`;
    case "reminder":
      if (!f.appointment || !["pending", "confirmed"].includes(f.appointment.status)) return `appointment is ${f.appointment?.status ?? "gone"}`;
      if (f.appointment.startsAt.getTime() !== f.appointmentStart?.getTime()) return "appointment was moved";
      return f.appointment.startsAt.getTime() <= now ? "appointment has started" : null;
    case "waitlist_offer":
      if (f.offer?.state !== "offered") return `offer is ${f.offer?.state ?? "gone"}`;
      return f.offer.expiresAt.getTime() <= now ? "offer has expired" : null;
    case "waitlist_gone":
      return null;
  }
};

/** Reminders and waitlist offers wait for the morning; what the customer just did is answered at once. */
const respectsQuietHours = (f: MessageFacts) => f.kind === "reminder" || f.kind === "waitlist_offer";

const render = (f: MessageFacts, now: number): MessageText => {
  const about = f.offer?.startsAt ?? f.appointment?.startsAt ?? f.appointmentStart!;
  const { date, time } = localDateTime(about.getTime(), f.timezone, f.language);
  const text = f.template ? { subject: f.template.subject ?? undefined, body: f.template.body } : builtInText(f.kind, f.channel, f.language);
  return renderMessage(text, {
    company: f.companyName,
    branch: f.branchName,
    customer: f.customerName,
    service: f.serviceName,
    staff: f.staffName,
    date,
    time,
    phone: f.branchPhone ?? "",
    hint: f.branchPhone ? HINT[f.language] : "",
    code: f.offer?.code ?? "",
    holdMinutes: f.offer ? String(Math.max(1, Math.ceil((f.offer.expiresAt.getTime() - now) / 60_000))) : "",
  });
};

const settle = async (ctx: Ctx, id: string, state: "sent" | "failed" | "skipped" | "unknown" | "pending", extra: { providerId?: string; detail?: string } = {}) => {
  await ctx.sql.query({
    name: "askproai_message_settle",
    text: `UPDATE messages SET state = $3::message_state, provider_message_id = COALESCE($4, provider_message_id),
             sent_at = CASE WHEN $3 = 'sent' THEN to_timestamp($5::double precision / 1000) ELSE sent_at END,
             attempt_ended_at = CASE WHEN $3 = 'pending' THEN to_timestamp($5::double precision / 1000) ELSE attempt_ended_at END,
             detail = $6, updated_at = now()
           WHERE id = $1::uuid AND company_id = $2::uuid`,
    values: [id, ctx.companyId, state, extra.providerId ?? null, ctx.now(), extra.detail ?? null],
  });
};

/** An attempt whose outcome was lost: it stays `sending`, marked as ended, for the next attempt to resolve. */
const markOutcomeLost = async (ctx: Ctx, id: string, detail: string) => {
  await ctx.sql.query({
    text: `UPDATE messages SET attempt_ended_at = to_timestamp($3::double precision / 1000), detail = $4, updated_at = now()
           WHERE id = $1::uuid AND company_id = $2::uuid AND state = 'sending'`,
    values: [id, ctx.companyId, ctx.now(), detail],
  });
};

/** Claims the next attempt; false when another worker changed the row since `seen` was read. */
const claimAttempt = async (ctx: Ctx, f: MessageFacts, bodySha256: string) => {
  const { rowCount } = await ctx.sql.query({
    name: "askproai_message_claim",
    text: `UPDATE messages SET state = 'sending', attempts = attempts + 1, attempt_started_at = to_timestamp($3::double precision / 1000),
             attempt_ended_at = NULL, body_sha256 = $4, detail = NULL, updated_at = now()
           WHERE id = $1::uuid AND company_id = $2::uuid AND attempts = $5
             AND (state = 'pending' OR (state = 'sending' AND attempt_started_at IS NOT DISTINCT FROM $6::timestamptz))`,
    values: [f.id, ctx.companyId, ctx.now(), bodySha256, f.attempts, f.attemptStartedAt],
  });
  return rowCount === 1;
};

/**
 * A previous attempt's outcome is unknown. Answers "sent" (with the gateway's id), "resend" (certainly
 * not accepted) or settles the row as `unknown` (e-mail); throws RetryLater while it may still be in flight
 * or the gateway cannot be asked.
 */
const resolveLostAttempt = async (ctx: Ctx, transports: MessagingTransports, f: MessageFacts, graceMs: number): Promise<DeliveryResult | "resend"> => {
  const started = f.attemptStartedAt?.getTime() ?? 0;
  const sinceStart = ctx.now() - started;
  if (!f.attemptEndedAt && sinceStart < graceMs) throw new RetryLater("an earlier attempt may still be in flight", graceMs - sinceStart);
  if (f.channel === "email") {
    const detail = "an earlier attempt's outcome is unknown and SMTP cannot be asked; not sent again";
    await settle(ctx, f.id, "unknown", { detail });
    return { state: "unknown", detail };
  }
  let found;
  try {
    found = await transports.sms!.findRecent(f.phone, started);
  } catch (error) {
    const call = (error as { call?: Parameters<typeof logOutsideCall>[1] }).call;
    if (call) await logOutsideCall(ctx, call, f.id);
    throw new RetryLater(`cannot ask the SMS gateway about an earlier attempt: ${redactText((error as Error).message)}`);
  }
  await logOutsideCall(ctx, found.call, f.id);
  const match = found.messages.find((m) => m.bodySha256 === f.bodySha256);
  if (match) {
    await settle(ctx, f.id, "sent", { providerId: match.sid, detail: "found at the gateway after an attempt of unknown outcome" });
    return { state: "sent", detail: "found at the gateway" };
  }
  return "resend";
};

export const deliverMessage = async (ctx: Ctx, transports: MessagingTransports, messageId: string, options: DeliveryOptions = {}): Promise<DeliveryResult> => {
  const f = await loadMessageFacts(ctx, messageId);
  if (!f) return { state: "done", detail: "no such message" };
  if (f.state !== "pending" && f.state !== "sending") return { state: "done", detail: `already ${f.state}` };
  const now = ctx.now();

  const pointless = irrelevance(f, now);
  if (pointless) {
    // An attempt of unknown outcome may have reached the customer: say so rather than "skipped".
    const state = f.state === "sending" ? "unknown" : "skipped";
    await settle(ctx, f.id, state, { detail: pointless });
    return { state, detail: pointless };
  }
  const gateway = f.channel === "sms" ? transports.sms : transports.mail;
  if (!gateway || (f.channel === "email" && !f.email)) {
    const detail = f.channel === "sms" ? "no SMS gateway configured" : "no mail server configured";
    await settle(ctx, f.id, f.state === "sending" ? "unknown" : "skipped", { detail });
    return { state: "skipped", detail };
  }
  if (respectsQuietHours(f) && isQuietTime(now, f.timezone)) {
    const until = outsideQuietHours(now, f.timezone);
    await ctx.sql.query({
      text: "UPDATE messages SET send_after = to_timestamp($3::double precision / 1000), updated_at = now() WHERE id = $1::uuid AND company_id = $2::uuid",
      values: [f.id, ctx.companyId, until],
    });
    return { state: "deferred", until };
  }
  if (f.state === "sending") {
    const resolved = await resolveLostAttempt(ctx, transports, f, options.inFlightGraceMs ?? DEFAULT_IN_FLIGHT_GRACE_MS);
    if (resolved !== "resend") return resolved;
  }

  const text = render(f, now);
  const bodySha256 = sha256(text.body);
  if (!(await claimAttempt(ctx, f, bodySha256))) throw new RetryLater("another worker is delivering this message");

  const { outcome, call } =
    f.channel === "sms"
      ? await transports.sms!.send(f.phone, text.body)
      : await transports.mail!.send({ to: f.email!, subject: text.subject ?? "", text: text.body, messageId: `<${f.id}@askproai>` });
  await logOutsideCall(ctx, call, f.id);
  return settleOutcome(ctx, f, outcome);
};

const settleOutcome = async (ctx: Ctx, f: MessageFacts, outcome: SendOutcome): Promise<DeliveryResult> => {
  switch (outcome.kind) {
    case "sent":
      await settle(ctx, f.id, "sent", { providerId: outcome.providerId });
      ctx.log.info({ messageId: f.id, kind: f.kind, channel: f.channel }, "message sent");
      return { state: "sent" };
    case "rejected":
      await settle(ctx, f.id, "failed", { detail: outcome.detail });
      ctx.log.warn({ messageId: f.id, kind: f.kind, channel: f.channel, detail: outcome.detail }, "message refused by the gateway");
      return { state: "failed", detail: outcome.detail };
    case "not_sent":
      await settle(ctx, f.id, "pending", { detail: outcome.detail });
      throw new RetryLater(`not sent: ${outcome.detail}`, outcome.retryAfterMs);
    case "unknown":
      if (f.channel === "email") {
        const detail = `outcome unknown (${outcome.detail}); not sent again`;
        await settle(ctx, f.id, "unknown", { detail });
        return { state: "unknown", detail };
      }
      await markOutcomeLost(ctx, f.id, `outcome unknown: ${outcome.detail}`);
      throw new RetryLater(`outcome unknown: ${outcome.detail}`);
  }
};

/**
 * The last attempt ran out: a message that certainly did not go out is `failed`, one whose last attempt
 * was lost is `unknown` (never sent again blind).
 */
export const giveUpMessage = async (ctx: Ctx, messageId: string, reason: string) => {
  await ctx.sql.query({
    text: `UPDATE messages SET state = CASE WHEN state = 'sending' THEN 'unknown'::message_state ELSE 'failed'::message_state END,
             detail = $3, updated_at = now()
           WHERE id = $1::uuid AND company_id = $2::uuid AND state IN ('pending', 'sending')`,
    values: [messageId, ctx.companyId, redactText(`gave up: ${reason}`)],
  });
};
