/**
 * Pure caller → branch routing for the multi_branch_hotline business model.
 */

export interface RoutableBranch {
  id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  /** E.164 prefixes like "+4930". */
  areaCodes: string[];
}

export interface RouteRequest {
  branches: RoutableBranch[];
  explicitBranchId?: string | null;
  /** E.164, e.g. "+4930123456". */
  callerPhone?: string | null;
  callerLocation?: { latitude: number; longitude: number } | null;
  /** Ids of the branches that currently have at least one bookable slot. */
  branchesWithAvailability: ReadonlySet<string>;
}

export type RouteDecision =
  | { branchId: string; reason: "explicit" | "nearest_available" | "nearest" | "first_available" }
  | { branchId: null; reason: "no_branch_available" | "unknown_branch" };

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine). */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function isValidPoint(p: { latitude: number | null; longitude: number | null } | null | undefined): p is GeoPoint {
  return (
    !!p &&
    typeof p.latitude === "number" &&
    typeof p.longitude === "number" &&
    Number.isFinite(p.latitude) &&
    Number.isFinite(p.longitude) &&
    Math.abs(p.latitude) <= 90 &&
    Math.abs(p.longitude) <= 180
  );
}

/** "+49 (30) 123-45" / "0049 30 12345" → "+493012345". */
export function normalizePhone(raw: string): string {
  let s = raw.replace(/[\s\-()./]/g, "");
  if (s.startsWith("00")) s = `+${s.slice(2)}`;
  return s;
}

/**
 * The branch (with coordinates) whose longest area-code prefix matches `phone`; ties go to the
 * earlier branch in input order. Branches without coordinates are skipped, since the result is only
 * used as the caller's location.
 */
function branchByAreaCode(branches: readonly RoutableBranch[], phone: string): RoutableBranch | null {
  const normalized = normalizePhone(phone);
  if (!normalized.startsWith("+")) return null;
  let best: RoutableBranch | null = null;
  let bestLen = 0;
  for (const b of branches) {
    if (!isValidPoint(b)) continue;
    for (const code of b.areaCodes) {
      const c = normalizePhone(code);
      if (c.length > 1 && c.length > bestLen && normalized.startsWith(c)) {
        best = b;
        bestLen = c.length;
      }
    }
  }
  return best;
}

/**
 * Decides which branch a hotline caller is served by.
 *
 * 1. `explicitBranchId` (non-empty) wins when it is one of `branches` → "explicit" (even without
 *    availability: the caller asked for it); otherwise → `unknown_branch`.
 * 2. The caller's location is `callerLocation`, else the coordinates of the branch whose longest
 *    area-code prefix matches `callerPhone`.
 * 3. With a location: the nearest (haversine) branch with coordinates that is in
 *    `branchesWithAvailability` → "nearest_available" (ties: input order). Available branches
 *    without coordinates cannot be ranked; they are only used when no branch with coordinates is
 *    available (→ "first_available"). Nothing available → `no_branch_available`.
 * 4. Without a location: the first branch (input order) with availability → "first_available",
 *    else `no_branch_available`.
 *
 * The "nearest" reason is part of the agreed type but is not produced by these rules.
 */
export function routeCaller(req: RouteRequest): RouteDecision {
  const { branches, branchesWithAvailability } = req;

  if (req.explicitBranchId !== null && req.explicitBranchId !== undefined && req.explicitBranchId !== "") {
    const hit = branches.find((b) => b.id === req.explicitBranchId);
    return hit ? { branchId: hit.id, reason: "explicit" } : { branchId: null, reason: "unknown_branch" };
  }

  let location: GeoPoint | null = null;
  if (isValidPoint(req.callerLocation)) {
    location = { latitude: req.callerLocation.latitude, longitude: req.callerLocation.longitude };
  } else if (req.callerPhone) {
    const byCode = branchByAreaCode(branches, req.callerPhone);
    if (byCode && isValidPoint(byCode)) location = { latitude: byCode.latitude, longitude: byCode.longitude };
  }

  const available = branches.filter((b) => branchesWithAvailability.has(b.id));

  if (location) {
    let best: RoutableBranch | null = null;
    let bestKm = Infinity;
    for (const b of available) {
      if (!isValidPoint(b)) continue;
      const km = haversineKm(location, b);
      if (km < bestKm) {
        best = b;
        bestKm = km;
      }
    }
    if (best) return { branchId: best.id, reason: "nearest_available" };
  }

  const first = available[0];
  return first ? { branchId: first.id, reason: "first_available" } : { branchId: null, reason: "no_branch_available" };
}
