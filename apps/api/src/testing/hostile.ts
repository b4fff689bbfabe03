/**
 * Hostile input for property-based tests of every internet-facing route: strings PostgreSQL or a
 * parser chokes on, numbers at the edges, deep nesting, wrong types, and near-valid objects with one
 * field replaced. Reused by the webhook and voice route tests.
 */
import fc from "fast-check";

export const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.constantFrom("\u0000", "abc\ud800def", "\udc00", "\u200B\u200B", "\u202Eevil", "%%", "__", "%_", "' OR 1=1 --", "${jndi:ldap://x}", "../../etc/passwd", "<script>", "😊".repeat(40)),
  fc.string({ maxLength: 3 }).map((s) => s.repeat(2_000)),
  fc.uuid(),
  fc.constantFrom("2026-02-30", "2026-12-01T10:00:00", "2026-12-01T25:00:00+01:00", "9999-12-31T23:59:59Z", "+4915112345678", "0151 1234567"),
);

export const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1));

/** Any JSON value, nested at most `depth` levels, with hostile leaves. */
export const hostileJson = (depth = 4): fc.Arbitrary<unknown> =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", maxDepth: depth },
      hostileString,
      hostileNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(fc.oneof(hostileString, fc.constantFrom("id", "branchId", "start", "name", "phone", "__proto__", "constructor")), tie("value"), { maxKeys: 5 }),
    ),
  })).value;

/** A valid-looking input with one field replaced by something hostile (or removed). */
export const nearValid = (valid: Record<string, unknown>) =>
  fc.tuple(fc.constantFrom(...Object.keys(valid)), fc.oneof(hostileJson(2), fc.constant(undefined))).map(([key, value]) => {
    const copy: Record<string, unknown> = { ...valid };
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  });

/** True when a response body is the one documented error shape. */
export const isErrorShape = (body: unknown): boolean => {
  const error = (body as { error?: { message?: unknown; code?: unknown; data?: { code?: unknown; httpStatus?: unknown } } })?.error;
  return typeof error?.message === "string" && typeof error.code === "number" && typeof error.data?.code === "string" && typeof error.data.httpStatus === "number";
};

/** Every path into a JSON value (objects and arrays), the root excluded: where `nearValidDeep` may strike. */
const pathsOf = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, v]) => [[...prefix, key], ...pathsOf(v, [...prefix, key])]);
};

/** A valid input with one field at any depth (e.g. `customer.name`, `call.to_number`) replaced by hostile JSON or removed. */
export const nearValidDeep = (valid: unknown): fc.Arbitrary<unknown> => {
  const paths = pathsOf(valid);
  if (paths.length === 0) return hostileJson(3);
  return fc.tuple(fc.constantFrom(...paths), fc.oneof({ weight: 4, arbitrary: hostileJson(2) }, { weight: 1, arbitrary: fc.constant(undefined) })).map(([path, value]) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (value === undefined) delete node[last];
    else node[last] = value;
    return copy;
  });
};

/** The documented error shape (README, "Errors and limits") including the request's correlation id. */
export const hasCorrelatedErrorShape = (body: unknown, correlationId: string | null): boolean =>
  isErrorShape(body) && typeof correlationId === "string" && (body as { error: { data: { correlationId?: unknown } } }).error.data.correlationId === correlationId;
