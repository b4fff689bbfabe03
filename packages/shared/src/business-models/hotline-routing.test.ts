import { describe, it, expect } from "vitest";
import { haversineKm, normalizePhone, routeCaller, type RoutableBranch } from "./hotline-routing.js";

const berlin: RoutableBranch = { id: "ber", name: "Berlin Mitte", latitude: 52.52, longitude: 13.405, areaCodes: ["+4930"] };
const potsdam: RoutableBranch = { id: "pot", name: "Potsdam", latitude: 52.3906, longitude: 13.0645, areaCodes: ["+49331"] };
const cottbus: RoutableBranch = { id: "cbs", name: "Cottbus", latitude: 51.7563, longitude: 14.3329, areaCodes: ["+493"] };
const hamburg: RoutableBranch = { id: "ham", name: "Hamburg", latitude: 53.5511, longitude: 9.9937, areaCodes: ["+4940"] };
const munich: RoutableBranch = { id: "muc", name: "München", latitude: 48.1372, longitude: 11.5756, areaCodes: ["+4989"] };
const branches = [hamburg, munich, berlin, potsdam, cottbus];
const all = new Set(branches.map((b) => b.id));
const without = (...ids: string[]) => new Set([...all].filter((id) => !ids.includes(id)));

describe("routeCaller", () => {
  it("an explicit known branch wins, even without availability", () => {
    expect(routeCaller({ branches, explicitBranchId: "muc", callerPhone: "+4930123", branchesWithAvailability: new Set() })).toEqual({
      branchId: "muc",
      reason: "explicit",
    });
  });

  it("an explicit unknown branch is reported", () => {
    expect(routeCaller({ branches, explicitBranchId: "xyz", callerPhone: "+4930123", branchesWithAvailability: all })).toEqual({
      branchId: null,
      reason: "unknown_branch",
    });
  });

  it("routes by area code to the matching (nearest) branch with availability", () => {
    expect(routeCaller({ branches, callerPhone: "+49301234567", branchesWithAvailability: all })).toEqual({
      branchId: "ber",
      reason: "nearest_available",
    });
  });

  it("uses the longest matching prefix", () => {
    // "+493" (Cottbus) and "+49331" (Potsdam) both match; Potsdam's is longer.
    expect(routeCaller({ branches, callerPhone: "+49331987654", branchesWithAvailability: all }).branchId).toBe("pot");
    expect(routeCaller({ branches, callerPhone: "+49355987654", branchesWithAvailability: all }).branchId).toBe("cbs");
  });

  it("normalizes spaces and 00 prefixes in phone numbers", () => {
    expect(normalizePhone("0049 (30) 123-456")).toBe("+4930123456");
    expect(routeCaller({ branches, callerPhone: "0049 30 1234567", branchesWithAvailability: all }).branchId).toBe("ber");
  });

  it("skips the nearest branch when it has no availability", () => {
    expect(routeCaller({ branches, callerPhone: "+49301234567", branchesWithAvailability: without("ber") })).toEqual({
      branchId: "pot",
      reason: "nearest_available",
    });
    expect(routeCaller({ branches, callerPhone: "+49301234567", branchesWithAvailability: without("ber", "pot", "cbs") }).branchId).toBe("ham");
  });

  it("callerLocation takes precedence over the phone's area code", () => {
    const nearMunich = { latitude: 48.2, longitude: 11.6 };
    expect(routeCaller({ branches, callerPhone: "+4930123", callerLocation: nearMunich, branchesWithAvailability: all })).toEqual({
      branchId: "muc",
      reason: "nearest_available",
    });
  });

  it("without a location picks the first branch with availability in input order", () => {
    expect(routeCaller({ branches, callerPhone: "+43123456", branchesWithAvailability: without("ham") })).toEqual({
      branchId: "muc",
      reason: "first_available",
    });
    expect(routeCaller({ branches, branchesWithAvailability: new Set(["pot", "ber"]) })).toEqual({
      branchId: "ber",
      reason: "first_available",
    });
  });

  it("reports no_branch_available with and without a location", () => {
    const none = new Set<string>();
    expect(routeCaller({ branches, callerPhone: "+4930123", branchesWithAvailability: none })).toEqual({
      branchId: null,
      reason: "no_branch_available",
    });
    expect(routeCaller({ branches, branchesWithAvailability: none })).toEqual({ branchId: null, reason: "no_branch_available" });
    expect(routeCaller({ branches, branchesWithAvailability: new Set(["elsewhere"]) }).reason).toBe("no_branch_available");
  });

  it("branches without coordinates are not ranked by distance", () => {
    const online: RoutableBranch = { id: "web", name: "Online", latitude: null, longitude: null, areaCodes: ["+4930"] };
    const list = [online, munich, hamburg];
    // The only +4930 branch has no coordinates → no location → first available.
    expect(routeCaller({ branches: list, callerPhone: "+4930123", branchesWithAvailability: new Set(["web", "ham"]) })).toEqual({
      branchId: "web",
      reason: "first_available",
    });
    // With a location, a ranked branch beats an unranked one; the unranked one is the fallback.
    const loc = { latitude: 52.52, longitude: 13.4 };
    expect(routeCaller({ branches: list, callerLocation: loc, branchesWithAvailability: new Set(["web", "muc"]) }).branchId).toBe("muc");
    expect(routeCaller({ branches: list, callerLocation: loc, branchesWithAvailability: new Set(["web"]) })).toEqual({
      branchId: "web",
      reason: "first_available",
    });
  });
});

describe("haversineKm", () => {
  const pt = (b: RoutableBranch) => ({ latitude: b.latitude ?? NaN, longitude: b.longitude ?? NaN });
  it("matches known distances", () => {
    expect(haversineKm(pt(berlin), pt(munich))).toBeGreaterThan(500);
    expect(haversineKm(pt(berlin), pt(munich))).toBeLessThan(508);
    expect(haversineKm(pt(berlin), pt(berlin))).toBe(0);
    expect(haversineKm(pt(berlin), pt(potsdam))).toBeLessThan(haversineKm(pt(berlin), pt(cottbus)));
  });
});
