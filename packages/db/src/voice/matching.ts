/**
 * Names as callers say them and as a speech recogniser plus an LLM spell them: "herrenschnitt" for
 * "Herrenhaarschnitt", "Lena" for "Lena Hoffmann", "Krueger" for "Krüger", "Frau Becker", small
 * typos. Both sides are folded the same way (case, umlauts and ß, accents, a few spelling variants,
 * doubled letters, filler words); the fuzzy search itself is Fuse.js (Bitap, one fuzzy term per word,
 * all words required, word order free).
 */
import Fuse, { type FuseResult } from "fuse.js";

export interface NamedItem {
  id: string;
  name: string;
  /** Other names the item answers to (a branch's city, an English city name). */
  aliases?: readonly string[];
}

export type NameMatch<T> = { kind: "match"; item: T } | { kind: "ambiguous"; items: T[] } | { kind: "none" };

const UMLAUTS: readonly [RegExp, string][] = [
  [/ä/g, "ae"],
  [/ö/g, "oe"],
  [/ü/g, "ue"],
  [/ß/g, "ss"],
  [/ı/g, "i"],
];
// Spellings that sound alike, so "Sofie" finds "Sophie" and "Meyer" finds "Meier".
const SOUND_ALIKE: readonly [RegExp, string][] = [
  [/ph/g, "f"],
  [/th/g, "t"],
  [/y/g, "i"],
  [/ck/g, "k"],
  [/tz/g, "z"],
];

const foldWords = (name: string): string[] => {
  let s = name.toLowerCase();
  for (const [re, to] of UMLAUTS) s = s.replace(re, to);
  s = s.normalize("NFKD").replace(/\p{M}/gu, "");
  for (const [re, to] of SOUND_ALIKE) s = s.replace(re, to);
  return s
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/(.)\1+/g, "$1"))
    .filter((w) => w.length > 0);
};

// Words that carry no name: articles, prepositions, politeness, titles and forms of address (folded
// like every name, so "Herr" and "herr" alike are dropped).
const FILLER = new Set(
  [
    "der die das den dem des ein eine einen einem einer bei beim mit für von vom zum zur im in am an um und oder bitte gerne gern",
    "termin frau herr herrn dr doktor prof professor the a an with for at to please mr mrs ms miss appointment",
  ].flatMap((line) => foldWords(line)),
);

/** The comparable form of a name: folded words without fillers (all words when only fillers remain). */
export const foldName = (name: string): string => {
  const words = foldWords(name);
  const kept = words.filter((w) => !FILLER.has(w));
  return (kept.length > 0 ? kept : words).join(" ");
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Fuse scores 0 (perfect) … 1. A candidate must score at most ACCEPT; a query of few letters must
// match almost exactly ("Mia" is a name, not a typo of "Maniküre").
const ACCEPT = 0.3;
const SHORT_QUERY = 4;
const SHORT_ACCEPT = 0.05;
// Two candidates closer than this are both meant as far as we can tell: ask the caller.
const AMBIGUOUS_WITHIN = 0.02;
// Prefers the candidate the query covers more of ("Behandlung" over "Gesichtsbehandlung").
const COVERAGE_WEIGHT = 0.1;

interface Entry<T> {
  item: T;
  folded: string;
}

export const matchName = <T extends NamedItem>(query: string, items: readonly T[]): NameMatch<T> => {
  const trimmed = query.trim();
  if (UUID.test(trimmed)) {
    const byId = items.find((i) => i.id.toLowerCase() === trimmed.toLowerCase());
    return byId ? { kind: "match", item: byId } : { kind: "none" };
  }
  const folded = foldName(trimmed);
  if (folded === "") return { kind: "none" };
  const entries: Entry<T>[] = items.flatMap((item) => [item.name, ...(item.aliases ?? [])].map((name) => ({ item, folded: foldName(name) })));

  const exact = unique(entries.filter((e) => e.folded === folded).map((e) => e.item));
  if (exact.length === 1) return { kind: "match", item: exact[0]! };
  if (exact.length > 1) return { kind: "ambiguous", items: exact };

  const fuse = new Fuse(entries, { keys: ["folded"], includeScore: true, ignoreLocation: true, ignoreFieldNorm: true, threshold: 0.45, useExtendedSearch: true });
  // Extended search: space-separated words are fuzzy terms that must all match, in any order.
  const scored = rank(fuse.search(folded), folded);
  const best = scored[0];
  const limit = folded.replace(/ /g, "").length <= SHORT_QUERY ? SHORT_ACCEPT : ACCEPT;
  if (!best || best.raw > limit) return { kind: "none" };
  const close = scored.filter((s) => s.score - best.score < AMBIGUOUS_WITHIN).map((s) => s.item);
  return close.length === 1 ? { kind: "match", item: best.item } : { kind: "ambiguous", items: close };
};

/** Best score per item, raised a little for candidates much longer than what was said. */
const rank = <T extends NamedItem>(results: FuseResult<Entry<T>>[], folded: string) => {
  const said = folded.replace(/ /g, "").length;
  const best = new Map<string, { item: T; raw: number; score: number }>();
  for (const r of results) {
    const length = r.item.folded.replace(/ /g, "").length;
    const coverage = Math.min(1, said / Math.max(1, length));
    const raw = r.score ?? 1;
    const score = raw + COVERAGE_WEIGHT * (1 - coverage);
    const current = best.get(r.item.item.id);
    if (!current || score < current.score) best.set(r.item.item.id, { item: r.item.item, raw, score });
  }
  return [...best.values()].sort((a, b) => a.score - b.score);
};

const unique = <T extends NamedItem>(items: T[]) => [...new Map(items.map((i) => [i.id, i])).values()];
