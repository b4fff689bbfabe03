/**
 * `npm run bench:profile -- <file.cpuprofile>`: where an API process spent its CPU, by category.
 *
 * Take the profile with `BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" BENCH_ONLY=bookings
 * npm run bench`, then summarise `/tmp/prof/CPU.*.cpuprofile` (the API's is the largest). Each sample
 * is charged to the first category found walking its stack from the leaf up (a system call made by
 * the pg driver counts as "postgres client", one made while writing an HTTP answer as "http"), so the
 * table answers "what would get cheaper if this part did less".
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const has = (...parts: string[]) => (f: CallFrame) => parts.some((p) => f.url.includes(p));
/** First match wins, walking from the sampled frame towards the root. */
const CATEGORIES: [string, (f: CallFrame) => boolean][] = [
  ["idle", (f) => f.functionName === "(idle)"],
  ["garbage collection", (f) => f.functionName === "(garbage collector)"],
  ["module loading (start-up)", has("internal/modules/", "cjs-module-lexer", "/tsx/dist/")],
  ["postgres client (pg)", has("/pg/lib/", "/pg-protocol/", "/pg-pool/")],
  ["redis client, rate limits", has("/ioredis/", "/rate-limiter-flexible/")],
  ["prisma", has("@prisma/", "wasm://")],
  ["luxon", has("/luxon/")],
  ["libphonenumber", has("/libphonenumber-js/")],
  ["zod", has("/zod/")],
  ["pino logging", has("/pino", "/@pinojs/")],
  ["http (node)", has("node:_http")],
  ["trpc", has("/@trpc/")],
  ["express and middleware", has("/express/", "/router/", "/body-parser/", "/raw-body/", "/helmet/", "/cors/", "/prom-client/")],
  ["ours: availability", (f) => !f.url.includes("node_modules") && f.url.includes("/availability/")],
  ["ours: other", (f) => f.url.startsWith("file://") && !f.url.includes("node_modules")],
];

const summarise = (profile: Profile) => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totals = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    let label: string | undefined;
    for (let at: number | undefined = id; at !== undefined && !label; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame) label = CATEGORIES.find(([, match]) => match(frame))?.[0];
    }
    const name = label ?? `other: ${byId.get(id)?.callFrame.functionName || "(anonymous)"}`;
    totals.set(name, (totals.get(name) ?? 0) + micros);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
};

// Piped into `head`: stop quietly when the reader has had enough.
process.stdout.on("error", (error: NodeJS.ErrnoException) => process.exit(error.code === "EPIPE" ? 0 : 1));

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run bench:profile -- <file.cpuprofile>");
  process.exit(2);
}
const rows = summarise(JSON.parse(readFileSync(file, "utf8")) as Profile);
const busy = rows.filter(([name]) => name !== "idle").reduce((n, [, us]) => n + us, 0);
console.log(`${file}: ${(busy / 1e6).toFixed(2)} s of CPU (idle excluded)\n`);
console.log(`${"category".padEnd(34)} ${"ms".padStart(8)} ${"share".padStart(6)}`);
for (const [name, micros] of rows) {
  if (name === "idle" || micros < busy / 500) continue;
  console.log(`${name.padEnd(34)} ${(micros / 1000).toFixed(0).padStart(8)} ${((100 * micros) / busy).toFixed(1).padStart(5)}%`);
}
