/** PostgreSQL / Prisma failures we expect, as one shape. */
export type DbFailure =
  | { kind: "overlap"; constraint?: string } // 23P01: an EXCLUDE constraint (double booking)
  | { kind: "unique"; target?: string } // 23505 / P2002
  | { kind: "foreign_key" } // 23503: a referenced row does not exist (for this company)
  | { kind: "not_found" } // P2025
  | { kind: "unavailable" } // connection refused / timed out
  | { kind: "retryable" } // 40P01 deadlock, 40001 serialization failure: run the transaction again
  | { kind: "other" };

const collect = (error: unknown): string => {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const o = e as Record<string, unknown>;
    parts.push(String(o.code ?? ""), String(o.originalCode ?? ""), String(o.message ?? ""), String(o.kind ?? ""));
    if (o.meta && typeof o.meta === "object") parts.push(JSON.stringify(o.meta));
    e = o.cause;
  }
  return parts.join(" ");
};

export const classifyDbError = (error: unknown): DbFailure => {
  const text = collect(error);
  if (text.includes("23P01") || /exclusion constraint/i.test(text)) {
    const constraint = /appointments_no_(staff|resource)_overlap/.exec(text)?.[0];
    return constraint ? { kind: "overlap", constraint } : { kind: "overlap" };
  }
  if (/\bP2002\b|\b23505\b|UniqueConstraintViolation/.test(text)) return { kind: "unique" };
  // Two inserts into one EXCLUDE index can wait on each other; PostgreSQL aborts one of them.
  if (/\b40P01\b|\b40001\b|deadlock detected|could not serialize|P2034|TransactionWriteConflict/i.test(text)) return { kind: "retryable" };
  if (/\bP2025\b/.test(text)) return { kind: "not_found" };
  if (/\b23503\b|foreign key constraint|\bP2003\b/i.test(text)) return { kind: "foreign_key" };
  if (/ECONNREFUSED|ETIMEDOUT|Connection terminated|DatabaseNotReachable|timeout exceeded when trying to connect|\bP1001\b|\bP2028\b|Unable to start a transaction in the given time|too many clients already|remaining connection slots/i.test(text)) {
    return { kind: "unavailable" };
  }
  return { kind: "other" };
};
