/**
 * `npm run webhook -- <retell|calcom|stripe> <event> [--call <id>] [--to +49…] [--customer cus_…] [--uid <uid>] [--url <api>] [--print]`:
 * builds a sample event as the sender would (Retell call events, Cal.com booking triggers, Stripe
 * billing events), signs it with the configured secret (the demo secrets outside production) and POSTs
 * it to the running API; prints the HTTP status. Sending the same `--call` twice shows the duplicate
 * handling (204 while unprocessed, then 200 already_processed). `--print` prints a pasteable curl instead.
 */
import { parseArgs } from "node:util";
import { STRIPE_BILLING_EVENTS } from "@askproai/shared";
import { calcomBookingEvent, retellCallEvent, signedDelivery, stripeEvent, type CalcomTrigger } from "@askproai/stand-ins/webhooks";
import { loadConfigOrExit } from "./cli.js";

const EVENTS = {
  retell: ["call_started", "call_ended", "call_analyzed"],
  calcom: ["BOOKING_CREATED", "BOOKING_RESCHEDULED", "BOOKING_CANCELLED"],
  stripe: STRIPE_BILLING_EVENTS,
} as const;
type Source = keyof typeof EVENTS;

const usage = `usage: npm run webhook -- <source> <event> [options]
  retell  ${EVENTS.retell.join(" | ")}     [--call <id>] [--to +493023125101]
  calcom  ${EVENTS.calcom.join(" | ")}     [--uid <booking uid>]
  stripe  ${EVENTS.stripe.join(" | ")}     [--customer cus_demo_simple_salon] [--status active|past_due|canceled|…]
  --url <api> (default http://127.0.0.1:$PORT)   --print (print a curl command instead of sending)`;

const options = { call: { type: "string" }, to: { type: "string" }, uid: { type: "string" }, customer: { type: "string" }, status: { type: "string" }, url: { type: "string" }, print: { type: "boolean" } } as const;
let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: typeof options }>>;
try {
  parsed = parseArgs({ allowPositionals: true, options });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const [source, event] = parsed.positionals as [string | undefined, string | undefined];
if (!source || !(source in EVENTS) || !event || !(EVENTS[source as Source] as readonly string[]).includes(event)) {
  console.error(usage);
  process.exit(2);
}
const v = parsed.values;
const body =
  source === "retell"
    ? retellCallEvent(event as (typeof EVENTS.retell)[number], { callId: v.call, toNumber: v.to })
    : source === "calcom"
      ? calcomBookingEvent(event as CalcomTrigger, { uid: v.uid })
      : stripeEvent(event as (typeof EVENTS.stripe)[number], { customer: v.customer, status: v.status });

const config = loadConfigOrExit();
const base = v.url ?? `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${config.PORT}`;
const delivery = signedDelivery(source as Source, body, config);
const url = new URL(delivery.path, base).toString();

if (v.print) {
  const headers = Object.entries(delivery.headers).map(([k, value]) => `-H '${k}: ${value}'`).join(" ");
  console.log(`curl -i -X POST ${url} ${headers} --data-raw '${delivery.body.replaceAll("'", "'\\''")}'`);
  process.exit(0);
}
try {
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers: delivery.headers, body: delivery.body });
  const text = await res.text();
  console.log(`${source} ${event} → HTTP ${res.status} in ${Math.round(performance.now() - started)} ms${text ? `  ${text}` : ""}`);
  process.exit(res.status < 300 ? 0 : 1);
} catch (error) {
  console.error(`✗ could not reach the API at ${base} (${(error as Error).message}); is it running (npm start)?`);
  process.exit(1);
}
