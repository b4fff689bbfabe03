/** Figures, the result table, the targets and what was skipped. */
import { latencyStats, statusHistogram, type LatencyStats, type Sample } from "../load.js";
import { paint } from "./process.js";

export interface Figures extends LatencyStats {
  requests: number;
  seconds: number;
  rps: number;
  statuses: Record<string, number>;
  /** How busy the API process was during the run, in % of one core (real runs only). */
  apiCpuPercent?: number | null;
}

export interface Row {
  name: string;
  real: Figures;
  floor: Figures | null;
  floorPath: string;
  /** real p95 / floor p95 */
  ratioP95: number | null;
  notes: string;
  details?: Record<string, unknown>;
}

export interface TargetResult {
  name: string;
  pass: boolean;
  actual: string;
}

export const round = (n: number, digits: number) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

export const figures = ({ samples, elapsedMs, apiCpuPercent }: { samples: Sample[]; elapsedMs: number; apiCpuPercent?: number | null }): Figures => {
  const stats = latencyStats(samples);
  return {
    ...(apiCpuPercent !== undefined ? { apiCpuPercent: apiCpuPercent === null ? null : round(apiCpuPercent, 1) } : {}),
    requests: samples.length,
    seconds: round(elapsedMs / 1000, 3),
    rps: round(samples.length / (elapsedMs / 1000), 1),
    statuses: statusHistogram(samples),
    ...(Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, k === "count" ? v : round(v, 3)])) as unknown as LatencyStats),
  };
};

export const rows: Row[] = [];
export const targets: TargetResult[] = [];
export const skipped: string[] = [];

export const addRow = (name: string, real: Figures, floor: Figures | null, floorPath: string, notes = "", details?: Record<string, unknown>) => {
  const row: Row = { name, real, floor, floorPath, ratioP95: floor && floor.p95 > 0 ? round(real.p95 / floor.p95, 3) : null, notes, ...(details ? { details } : {}) };
  rows.push(row);
  return row;
};

export const ms = (n: number | undefined | null) => (n === undefined || n === null || Number.isNaN(n) ? "–" : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));

export const printTable = () => {
  const header = ["scenario", "requests", "req/s", "p50", "p95", "p99", "floor p50", "floor p95", "floor p99", "p95/floor", "api cpu", "notes"];
  const body = rows.map((r) => [
    r.name,
    String(r.real.requests),
    r.real.rps.toFixed(0),
    ms(r.real.p50),
    ms(r.real.p95),
    ms(r.real.p99),
    ms(r.floor?.p50),
    ms(r.floor?.p95),
    ms(r.floor?.p99),
    r.ratioP95 === null ? "–" : `${r.ratioP95.toFixed(1)}×`,
    r.real.apiCpuPercent === undefined || r.real.apiCpuPercent === null ? "–" : `${r.real.apiCpuPercent.toFixed(0)}%`,
    r.notes,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  console.log();
  console.log(line(header));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const b of body) console.log(line(b));
  console.log("(latencies in ms; floor = bare Express 5 on the same machine, same client and concurrency; api cpu = % of one core)");
};

export const printTargets = () => {
  console.log();
  console.log("targets");
  const width = Math.max(...targets.map((t) => t.name.length));
  for (const t of targets) console.log(`  ${t.pass ? paint(32, "PASS") : paint(31, "MISS")}  ${t.name.padEnd(width)}  ${t.actual}`);
  for (const s of skipped) console.log(`  ${paint(33, "SKIP")}  ${s}`);
};

export const countBy = (values: string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};
