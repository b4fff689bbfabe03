/**
 * Plays Retell's side of a call in tests: every function call is signed exactly as Retell signs it
 * (x-retell-signature over the raw body with the API key) and sent over real HTTP.
 */
import { randomBytes } from "node:crypto";
import { signRetell } from "@askproai/shared/server";
import type { TestApi } from "./server.js";

export const DEMO_NUMBERS = {
  salon: "+493023125101",
  hotline: "+493023125200",
  clinicBerlin: "+493023125201",
  clinicHamburg: "+494066969201",
  clinicMuenchen: "+498999998201",
  spa: "+496990009301",
} as const;

export interface VoiceReply {
  status: number;
  body: { ok: boolean; result: string; reason?: string; [field: string]: any };
}

export const sendFunction = async (api: TestApi, body: unknown, headers: Record<string, string> = {}): Promise<VoiceReply> => {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const res = await fetch(`${api.baseUrl}/voice/retell/functions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-retell-signature": signRetell(raw, api.deps.config.RETELL_API_KEY), ...headers },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as VoiceReply["body"] };
};

export interface TestCall {
  id: string;
  fn(name: string, args?: Record<string, unknown>): Promise<VoiceReply>;
}

/** A new call to `to` from `from` (null: withheld). */
export const newCall = (api: TestApi, to: string, from: string | null = randomCaller()): TestCall => {
  const id = `call_${randomBytes(8).toString("hex")}`;
  return {
    id,
    fn: (name, args = {}) =>
      sendFunction(api, { name, call: { call_id: id, agent_id: "agent_test", call_type: "phone_call", direction: "inbound", from_number: from ?? "anonymous", to_number: to }, args }),
  };
};

let callers = 0;
/** A German mobile number no other test uses (per process). */
export const randomCaller = (prefix = "+49151") => `${prefix}${String(Date.now() % 1_000_000).padStart(6, "0")}${String(callers++ % 100).padStart(2, "0")}`;
