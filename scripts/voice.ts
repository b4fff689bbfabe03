/**
 * `npm run voice -- <function> '<args json>' [--from +49…] [--to +49…] [--call <id>] [--url <api>]`:
 * plays Retell's side of a call. Signs one custom-function call with RETELL_API_KEY exactly as Retell
 * does, sends it to the running API and prints the answer. Reuse `--call` to stay in one call (its
 * holds, and repeats answered from the first time).
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { signRetell } from "@askproai/shared/server";
import { loadConfigOrExit } from "./cli.js";
import { VOICE_FUNCTION_NAMES } from "@askproai/shared";

const usage = `usage: npm run voice -- <${VOICE_FUNCTION_NAMES.join("|")}> '<args json>' [--from +4915112345678] [--to +493023125101] [--call <id>] [--url http://127.0.0.1:3000]
  --from   the caller's number ("anonymous" for a withheld one)
  --to     the number called: a branch's or a hotline's (demo: +493023125101 salon, +493023125200 clinic hotline, +496990009301 spa)
  --call   the Retell call id (default: a new one per run)`;

let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: Record<"from" | "to" | "call" | "url", { type: "string" }> }>>;
try {
  parsed = parseArgs({ allowPositionals: true, options: { from: { type: "string" }, to: { type: "string" }, call: { type: "string" }, url: { type: "string" } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const [name, argsJson = "{}"] = parsed.positionals;
let args: unknown;
try {
  args = JSON.parse(argsJson);
} catch {
  console.error(`the arguments are not JSON: ${argsJson}\n${usage}`);
  process.exit(2);
}
if (!name || typeof args !== "object" || args === null || Array.isArray(args)) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfigOrExit();

const callId = parsed.values.call ?? `cli_${randomBytes(6).toString("hex")}`;
const body = JSON.stringify({
  name,
  call: {
    call_id: callId,
    agent_id: "cli",
    call_type: "phone_call",
    direction: "inbound",
    from_number: parsed.values.from ?? "+4915112345678",
    to_number: parsed.values.to ?? "+493023125101",
  },
  args,
});
const base = parsed.values.url ?? `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${config.PORT}`;

try {
  const started = performance.now();
  const res = await fetch(new URL("/voice/retell/functions", base), {
    method: "POST",
    headers: { "content-type": "application/json", "x-retell-signature": signRetell(body, config.RETELL_API_KEY) },
    body,
  });
  const ms = Math.round(performance.now() - started);
  const answer = (await res.json()) as { result?: string };
  console.log(`HTTP ${res.status} in ${ms} ms  (call ${callId})`);
  if (answer.result) console.log(`\n  🗣  ${answer.result}\n`);
  console.log(JSON.stringify(answer, null, 2));
  process.exit(res.status === 200 ? 0 : 1);
} catch (error) {
  console.error(`✗ could not reach the API at ${base} (${(error as Error).message}); is it running (npm start)?`);
  process.exit(1);
}
