/**
 * README documents every procedure beyond the contract with its input (issue 9): the procedures come
 * from appRouter's own definition, so one added later without a line in README fails here. A
 * procedure counts as documented when README names it in backticks (`setup.{staff,services}.deactivate`
 * names both) on a line that also names each of its required input fields.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter } from "./root.js";

const root = new URL("../../../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const contract = readFileSync(new URL("../shared/contract.md", root), "utf8");

interface Procedure {
  _def: { type: string; inputs: z.ZodType[] };
}

/** `a.{b,c}.d` written once in prose stands for `a.b.d` and `a.c.d`. */
const expandBraces = (text: string) =>
  text.replace(/`([\w.]*)\{([\w,]+)\}([\w.]*)`/g, (_, head: string, list: string, tail: string) => list.split(",").map((x) => `\`${head}${x}${tail}\``).join(", "));

const namesIt = (line: string, path: string) => line.includes(`\`${path}\``);

const requiredFields = (proc: Procedure): string[] => {
  const schema = proc._def.inputs[0];
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { required?: string[]; anyOf?: { required?: string[] }[] };
  return json.required ?? json.anyOf?.find((x) => x.required)?.required ?? [];
};

describe("README", () => {
  it("documents every procedure beyond the contract with its required input fields", () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);
    const lines = expandBraces(readme).split("\n");
    const beyond = procedures.filter(([path]) => !contract.includes(`\`${path}\``));
    expect(beyond.length).toBeGreaterThan(50);
    const undocumented: string[] = [];
    for (const [path, proc] of beyond) {
      const about = lines.filter((line) => namesIt(line, path)).join("\n");
      if (!about) {
        undocumented.push(`${path}: not named`);
        continue;
      }
      const unnamed = requiredFields(proc).filter((field) => !new RegExp(`\\b${field}\\b`).test(about));
      if (unnamed.length) undocumented.push(`${path}: input field(s) ${unnamed.join(", ")} not named beside it`);
    }
    expect(undocumented).toEqual([]);
  });
});
