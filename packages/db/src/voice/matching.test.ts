/**
 * Names as callers say them, per demo company: services, staff and branches from the demo seed itself,
 * matched the way the voice functions match them. Each row: what the LLM passed → the name it must
 * find, `null` when nothing may match (the agent then lists what exists), or AMBIGUOUS when the agent
 * must ask which one.
 */
import { describe, expect, it } from "vitest";
import { DEMO_COMPANIES, type DemoCompanySlug } from "../seed/demo.js";
import { foldName, matchName, type NamedItem } from "./matching.js";
import { branchItems } from "./resolve.js";

const AMBIGUOUS = Symbol("ambiguous");
type Row = [said: string, expected: string | null | typeof AMBIGUOUS];

const itemsOf = (slug: DemoCompanySlug) => {
  const spec = DEMO_COMPANIES.find((c) => c.slug === slug)!;
  const named = (names: string[]): NamedItem[] => names.map((name, i) => ({ id: `${slug}-${i}-${name}`, name }));
  return {
    services: named(spec.services.map((s) => s.name)),
    staff: named(spec.staff.map((s) => s.name)),
    branches: branchItems(spec.branches.map((b, i) => ({ id: `${slug}-b${i}`, name: b.name, city: b.city, timezone: "Europe/Berlin", phoneNumber: b.phoneNumber }))),
  };
};

const check = (items: NamedItem[], rows: Row[]) => {
  for (const [said, expected] of rows) {
    const match = matchName(said, items);
    const got = match.kind === "match" ? match.item.name : match.kind === "ambiguous" ? AMBIGUOUS : null;
    expect({ said, got }).toEqual({ said, got: expected });
  }
};

describe("name matching: simple-salon (Salon Schnittpunkt)", () => {
  const { services, staff, branches } = itemsOf("simple-salon");
  const serviceRows: Row[] = [
    ["Herrenhaarschnitt", "Herrenhaarschnitt"],
    ["herrenhaarschnitt", "Herrenhaarschnitt"],
    ["HERRENHAARSCHNITT", "Herrenhaarschnitt"],
    ["herrenschnitt", "Herrenhaarschnitt"],
    ["Haarschnitt Herren", "Herrenhaarschnitt"],
    ["Herren Haarschnitt", "Herrenhaarschnitt"],
    ["Herren-Haarschnitt", "Herrenhaarschnitt"],
    ["haarschnitt", "Herrenhaarschnitt"],
    ["Herrenhaarschnit", "Herrenhaarschnitt"],
    ["einen Herrenhaarschnitt bitte", "Herrenhaarschnitt"],
    ["Haarschnitt für Herren", "Herrenhaarschnitt"],
    ["Männerhaarschnitt", "Herrenhaarschnitt"],
    ["Färben & Schneiden", "Färben & Schneiden"],
    ["faerben und schneiden", "Färben & Schneiden"],
    ["Farben schneiden", "Färben & Schneiden"],
    ["Färben", "Färben & Schneiden"],
    ["Farbe", "Färben & Schneiden"],
    ["Strähnchen", null],
    ["Dauerwelle", null],
    ["Lena", null],
  ];
  const staffRows: Row[] = [
    ["Lena", "Lena Hoffmann"],
    ["lena", "Lena Hoffmann"],
    ["Lena Hoffmann", "Lena Hoffmann"],
    ["lena hofman", "Lena Hoffmann"],
    ["Frau Hoffmann", "Lena Hoffmann"],
    ["Hofmann", "Lena Hoffmann"],
    ["Murat", "Murat Yılmaz"],
    ["Murat Yilmaz", "Murat Yılmaz"],
    ["Herr Yılmaz", "Murat Yılmaz"],
    ["Yilmas", "Murat Yılmaz"],
    ["Sophie", "Sophie Becker"],
    ["Sofie", "Sophie Becker"],
    ["Frau Becker", "Sophie Becker"],
    ["Beker", "Sophie Becker"],
    ["Peter", null],
    ["Lena Schmidt", null],
  ];
  const branchRows: Row[] = [
    ["Prenzlauer Berg", "Salon Schnittpunkt Prenzlauer Berg"],
    ["Berlin", "Salon Schnittpunkt Prenzlauer Berg"],
    ["Hamburg", null],
  ];
  it(`services, staff and the branch (${serviceRows.length + staffRows.length + branchRows.length} variants)`, () => {
    check(services, serviceRows);
    check(staff, staffRows);
    check(branches, branchRows);
  });
});

describe("name matching: hotline-clinic (Praxisgemeinschaft Dr. Brandt & Partner)", () => {
  const { services, staff, branches } = itemsOf("hotline-clinic");
  const serviceRows: Row[] = [
    ["Erstgespräch", "Erstgespräch"],
    ["erstgesprach", "Erstgespräch"],
    ["Erstgespraech", "Erstgespräch"],
    ["erst gespräch", "Erstgespräch"],
    ["Behandlung", "Behandlung"],
    ["behandlung", "Behandlung"],
    ["Behandlun", "Behandlung"],
    ["Physiotherapie", null],
  ];
  const staffRows: Row[] = [
    ["Dr. Brandt", "Dr. Katharina Brandt"],
    ["Doktor Brandt", "Dr. Katharina Brandt"],
    ["Frau Dr. Brandt", "Dr. Katharina Brandt"],
    ["Katharina", "Dr. Katharina Brandt"],
    ["Katarina Brand", "Dr. Katharina Brandt"],
    ["Petersen", "Dr. Jan Petersen"],
    ["Peterson", "Dr. Jan Petersen"],
    ["Jan", "Dr. Jan Petersen"],
    ["Huber", "Dr. Maximilian Huber"],
    ["Max Huber", "Dr. Maximilian Huber"],
    ["Tobias", "Tobias Richter"],
    ["Herr Richter", "Tobias Richter"],
    ["Anna", "Anna Lange"],
    ["Frau Bauer", "Laura Bauer"],
    ["Laura", "Laura Bauer"],
    ["Dr. Müller", null],
  ];
  const branchRows: Row[] = [
    ["Hamburg", "Praxis Hamburg-Eimsbüttel"],
    ["hamburg", "Praxis Hamburg-Eimsbüttel"],
    ["Hamborg", "Praxis Hamburg-Eimsbüttel"],
    ["Eimsbüttel", "Praxis Hamburg-Eimsbüttel"],
    ["Eimsbuettel", "Praxis Hamburg-Eimsbüttel"],
    ["München", "Praxis München-Schwabing"],
    ["Muenchen", "Praxis München-Schwabing"],
    ["Munchen", "Praxis München-Schwabing"],
    ["Munich", "Praxis München-Schwabing"],
    ["Schwabing", "Praxis München-Schwabing"],
    ["Berlin", "Praxis Berlin-Mitte"],
    ["Berlin Mitte", "Praxis Berlin-Mitte"],
    ["Praxis Berlin", "Praxis Berlin-Mitte"],
    ["Köln", null],
    ["Praxis", AMBIGUOUS],
  ];
  it(`services, staff and branches (${serviceRows.length + staffRows.length + branchRows.length} variants)`, () => {
    check(services, serviceRows);
    check(staff, staffRows);
    check(branches, branchRows);
  });
});

describe("name matching: matrix-spa (Wellness-Oase am Main)", () => {
  const { services, staff, branches } = itemsOf("matrix-spa");
  const serviceRows: Row[] = [
    ["Klassische Massage", "Klassische Massage"],
    ["klassische massage", "Klassische Massage"],
    ["Massage klassisch", "Klassische Massage"],
    ["Massage", AMBIGUOUS],
    ["Hot-Stone-Massage", "Hot-Stone-Massage"],
    ["hotstone", "Hot-Stone-Massage"],
    ["Hot Stone", "Hot-Stone-Massage"],
    ["Hot Stone Massage", "Hot-Stone-Massage"],
    ["Gesichtsbehandlung", "Gesichtsbehandlung"],
    ["Gesicht", "Gesichtsbehandlung"],
    ["Gesichts Behandlung", "Gesichtsbehandlung"],
    ["Maniküre", "Maniküre"],
    ["Manikuere", "Maniküre"],
    ["Manikür", "Maniküre"],
    ["Pediküre", null],
    ["Heiße Steine", null],
  ];
  const staffRows: Row[] = [
    ["Sabine", "Sabine Krüger"],
    ["Sabina", "Sabine Krüger"],
    ["Frau Krüger", "Sabine Krüger"],
    ["Krueger", "Sabine Krüger"],
    ["Kruger", "Sabine Krüger"],
    ["Jonas", "Jonas Weber"],
    ["Herr Weber", "Jonas Weber"],
    ["Aylin", "Aylin Demir"],
    ["Ayline Demir", "Aylin Demir"],
    ["Mia", "Mia Schulz"],
    ["Frau Schulz", "Mia Schulz"],
    ["Schultz", "Mia Schulz"],
  ];
  const branchRows: Row[] = [
    ["Sachsenhausen", "Wellness-Oase Sachsenhausen"],
    ["Frankfurt", "Wellness-Oase Sachsenhausen"],
    ["Frankfurt am Main", "Wellness-Oase Sachsenhausen"],
    ["Offenbach", null],
  ];
  it(`services, staff and the branch (${serviceRows.length + staffRows.length + branchRows.length} variants)`, () => {
    check(services, serviceRows);
    check(staff, staffRows);
    check(branches, branchRows);
  });
});

describe("foldName", () => {
  it("folds case, umlauts, ß, accents, sound-alike spellings, doubled letters and filler words alike", () => {
    expect(foldName("Frau Dr. Krüger")).toBe(foldName("krueger"));
    expect(foldName("Straße")).toBe(foldName("strasse"));
    expect(foldName("Yılmaz")).toBe(foldName("Yilmaz"));
    expect(foldName("Sophie")).toBe(foldName("Sofie"));
    expect(foldName("Hoffmann")).toBe(foldName("Hofmann"));
    expect(foldName("Café")).toBe(foldName("cafe"));
    // only filler words: they are the name
    expect(foldName("Der Die")).toBe("der die");
  });

  it("matches ids exactly and never fuzzily", () => {
    const items = [{ id: "5a987dc7-bd1c-41b4-a454-06c285ea69fd", name: "Behandlung" }];
    expect(matchName("5A987DC7-BD1C-41B4-A454-06C285EA69FD", items)).toEqual({ kind: "match", item: items[0] });
    expect(matchName("5a987dc7-bd1c-41b4-a454-06c285ea69fe", items)).toEqual({ kind: "none" });
    expect(matchName("", items)).toEqual({ kind: "none" });
  });
});
