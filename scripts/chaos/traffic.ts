/**
 * Steady mixed load for the chaos run: desk bookings and cancellations over tRPC, voice function calls
 * and Retell webhooks, each retried with the SAME idempotency key / event until it is answered, as a
 * real client would through an outage. Everything sent and every final answer is recorded for verify.ts.
 */
import { randomUUID } from "node:crypto";
import { signRetell } from "@askproai/shared/server";
import { sleep } from "./procs.js";

export interface Slot {
  start: string;
  staffId: string;
}

export interface BookingRecord {
  key: string;
  input: Record<string, unknown>;
  appointmentId?: string;
  status?: number;
  cancelled: boolean;
  attempts: number;
}

export interface VoiceRecord {
  callId: string;
  args: Record<string, unknown>;
  appointmentId?: string;
  answered: boolean;
  attempts: number;
}

export interface WebhookRecord {
  eventId: string;
  acknowledged: boolean;
  deliveries: number;
}

export interface Load {
  bookings: BookingRecord[];
  voice: VoiceRecord[];
  webhooks: WebhookRecord[];
  errors: Map<string, number>;
}

const count = (load: Load, what: string) => load.errors.set(what, (load.errors.get(what) ?? 0) + 1);

/** POSTs until the server answers with a status in `done` (network errors and 5xx/429 are retried), or the deadline passes. */
const untilAnswered = async (load: Load, label: string, send: () => Promise<Response>, deadline: number, done = (s: number) => s < 500 && s !== 429) => {
  let attempts = 0;
  while (Date.now() < deadline) {
    attempts++;
    try {
      const res = await send();
      const body = (await res.json().catch(() => null)) as unknown;
      if (done(res.status)) return { status: res.status, body, attempts };
      count(load, `${label} ${res.status}`);
    } catch {
      count(load, `${label} network`);
    }
    await sleep(Math.min(2_000, 100 * attempts));
  }
  return { status: 0, body: null, attempts };
};

export const deskClient = (load: Load, api: string, token: string, base: { branchId: string; serviceId: string }, slots: Slot[], stopAt: () => number) => async () => {
  const post = (path: string, body: unknown) => () =>
    fetch(`${api}/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  while (Date.now() < stopAt()) {
    const slot = slots[Math.floor(Math.random() * slots.length)]!;
    const record: BookingRecord = {
      key: `chaos-${randomUUID()}`,
      input: { ...base, start: slot.start, staffId: slot.staffId, customer: { phone: `+49152${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`, name: "Chaos Kunde" } },
      cancelled: false,
      attempts: 0,
    };
    load.bookings.push(record);
    const answer = await untilAnswered(load, "book", post("appointments.create", { ...record.input, idempotencyKey: record.key }), stopAt() + 30_000);
    record.status = answer.status;
    record.attempts = answer.attempts;
    record.appointmentId = (answer.body as { result?: { data?: { id?: string } } } | null)?.result?.data?.id;
    if (record.appointmentId && Math.random() < 0.2) {
      const cancel = await untilAnswered(load, "cancel", post("appointments.cancel", { id: record.appointmentId, reason: "chaos" }), stopAt() + 30_000);
      record.cancelled = cancel.status === 200;
    }
  }
};

export const voiceClient = (load: Load, api: string, retellKey: string, to: string, serviceName: string, slots: Slot[], stopAt: () => number) => async () => {
  while (Date.now() < stopAt()) {
    const slot = slots[Math.floor(Math.random() * slots.length)]!;
    const record: VoiceRecord = { callId: `call_chaos_${randomUUID().slice(0, 12)}`, args: { service: serviceName, start: slot.start, customer_name: "Anruf Chaos" }, answered: false, attempts: 0 };
    load.voice.push(record);
    const body = JSON.stringify({
      name: "book_appointment",
      call: { call_id: record.callId, agent_id: "agent_chaos", from_number: `+49151${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`, to_number: to },
      args: record.args,
    });
    const answer = await untilAnswered(load, "voice", () =>
      fetch(`${api}/voice/retell/functions`, { method: "POST", headers: { "content-type": "application/json", "x-retell-signature": signRetell(body, retellKey) }, body }), stopAt() + 30_000, (s) => s === 200);
    record.answered = answer.status === 200;
    record.attempts = answer.attempts;
    record.appointmentId = (answer.body as { appointment?: { id?: string } } | null)?.appointment?.id;
  }
};

/** Retell call events, each delivered twice at once and once more later (retries and repeats), signed. */
export const webhookClient = (load: Load, api: string, retellKey: string, to: string, stopAt: () => number) => async () => {
  let n = 0;
  const later: (() => Promise<void>)[] = [];
  while (Date.now() < stopAt()) {
    const callId = `call_hook_${randomUUID().slice(0, 12)}`;
    for (const event of ["call_started", "call_ended"] as const) {
      const record: WebhookRecord = { eventId: `${callId}:${event}`, acknowledged: false, deliveries: 0 };
      load.webhooks.push(record);
      const body = JSON.stringify({
        event,
        call: { call_id: callId, agent_id: "agent_chaos", from_number: "+4915100000000", to_number: to, start_timestamp: Date.now() - 60_000, ...(event === "call_ended" ? { end_timestamp: Date.now(), disconnection_reason: "user_hangup" } : {}) },
      });
      const deliver = async () => {
        record.deliveries++;
        const answer = await untilAnswered(load, "webhook", () =>
          fetch(`${api}/webhooks/retell`, { method: "POST", headers: { "content-type": "application/json", "x-retell-signature": signRetell(body, retellKey) }, body }), stopAt() + 30_000, (s) => s === 204 || s === 200);
        if (answer.status === 204 || answer.status === 200) record.acknowledged = true;
      };
      await Promise.all([deliver(), deliver()]);
      later.push(deliver);
    }
    if (++n % 5 === 0) await later.splice(0, later.length).reduce((p, f) => p.then(f), Promise.resolve());
    await sleep(50);
  }
  for (const f of later) await f();
};
