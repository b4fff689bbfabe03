/**
 * A full day in real headless Chromium: 10 staff columns and 80 appointments, drawn from the API's
 * answers. Prints how long the renderer takes to show the whole day (from the date being entered to the
 * 80th card on screen, and from a reload of the app to the same), a figure for the closing note, not an
 * assertion; asserts only what a person would check: every column and every card is there, in its column.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskProAIClient } from "@askproai/client";
import type { Page } from "playwright-core";
import { SCREENSHOT_DIR, startDeskEnvironment, type DeskEnvironment } from "./support/desk-environment.js";
import { apiAs, at, deskLogin, nextWorkday, openDay } from "./support/desk-page.js";

let env: DeskEnvironment;
let page: Page;
let desk: AskProAIClient;
let branchId: string;
const D = nextWorkday(4);
const STAFF = 10;
const PER_STAFF = 8;

/** Seven more staff in simple-salon's branch, with the same skills and hours as the demo's three. */
const addStaff = async () => {
  const db = env.api.scratch.db;
  const company = await db.company.findUniqueOrThrow({ where: { slug: "simple-salon" } });
  const existing = await db.staff.findMany({ where: { companyId: company.id }, include: { skills: true } });
  const template = existing[0]!;
  const rules = await db.availabilityRule.findMany({ where: { companyId: company.id, staffId: template.id } });
  for (let i = existing.length; i < STAFF; i++) {
    const staff = await db.staff.create({ data: { companyId: company.id, name: `Aushilfe ${i + 1}` } });
    await db.staffBranch.create({ data: { companyId: company.id, staffId: staff.id, branchId } });
    await db.staffSkill.createMany({ data: template.skills.map((s) => ({ companyId: company.id, staffId: staff.id, serviceId: s.serviceId, level: s.level })) });
    await db.availabilityRule.createMany({
      data: rules.map((r) => ({ companyId: company.id, branchId: r.branchId, staffId: staff.id, weekday: r.weekday, startMinute: r.startMinute, endMinute: r.endMinute })),
    });
  }
  // Availability is cached per branch version: the rows above were written behind the API's back.
  await db.branch.update({ where: { id: branchId }, data: { availabilityVersion: { increment: 1 } } });
};

const cards = (p: Page) => p.locator("button.appt[data-appointment-id]").count();

beforeAll(async () => {
  env = await startDeskEnvironment();
  desk = (await apiAs(env.api.baseUrl, "desk@simple-salon.example")).api;
  branchId = (await desk.directory.branches.query())[0]!.id;
  await addStaff();
  const staff = await desk.directory.staff.query({ branchId });
  expect(staff).toHaveLength(STAFF);
  const cut = (await desk.directory.services.query({ branchId })).find((s) => s.durationMinutes === 30)!;
  // 8 half-hour appointments per staff member, an hour apart from 09:00: 80 cards.
  for (const [n, s] of staff.entries()) {
    for (let k = 0; k < PER_STAFF; k++) {
      const hhmm = `${String(9 + k).padStart(2, "0")}:${n % 2 ? "30" : "00"}`;
      await desk.appointments.create.mutate({
        branchId, serviceId: cut.id, staffId: s.id, start: at(D, hhmm),
        customer: { phone: `+491579${String(n * 100 + k).padStart(7, "0")}`, name: `Kundin ${n}-${k}` }, idempotencyKey: `paint-${n}-${k}`,
      });
    }
  }
  page = await env.browser.context.newPage();
}, 120_000);
afterAll(async () => env?.close());

describe("a full day", () => {
  it("draws 10 staff columns and 80 appointments; prints how long the renderer took", async () => {
    await page.goto(env.host.url);
    await deskLogin(page, "desk@simple-salon.example");
    await openDay(page, nextWorkday(1));

    const field = page.locator(".datenav input.date-field");
    await field.fill(`${D.slice(8, 10)}.${D.slice(5, 7)}.${D.slice(0, 4)}`);
    const entered = Date.now();
    await field.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll("button.appt[data-appointment-id]").length >= n, STAFF * PER_STAFF, { polling: "raf", timeout: 20_000 });
    const dayShown = Date.now() - entered;

    expect(await page.locator(".day [role=group][aria-label^='Spalte ']").count()).toBe(STAFF);
    expect(await cards(page)).toBe(STAFF * PER_STAFF);
    // columns in the order people read names: "Aushilfe 9" before "Aushilfe 10"
    const names = (await page.locator(".day [role=group][aria-label^='Spalte ']").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")!.slice(7))));
    expect(names.indexOf("Aushilfe 9")).toBeLessThan(names.indexOf("Aushilfe 10"));
    expect(names.indexOf("Aushilfe 10")).toBeLessThan(names.indexOf("Lena Hoffmann"));
    for (const column of await page.locator(".day [role=group][aria-label^='Spalte ']").all()) {
      expect(await column.locator("button.appt[data-appointment-id]").count()).toBe(PER_STAFF);
    }

    // From a reload of the whole app (session kept, day remembered or re-entered) to the 80th card.
    const reloaded = Date.now();
    await page.reload();
    await page.locator(".workspace").waitFor();
    await openDay(page, D);
    await page.waitForFunction((n) => document.querySelectorAll("button.appt[data-appointment-id]").length >= n, STAFF * PER_STAFF, { polling: "raf", timeout: 20_000 });
    const afterReload = Date.now() - reloaded;
    // The same day's answer from the API alone, and the renderer alone (the day again from its cache).
    const listStarted = performance.now();
    expect(await desk.appointments.list.query({ branchId, from: at(D, "00:00"), to: at(D, "23:59") })).toHaveLength(STAFF * PER_STAFF);
    const listMs = Math.round(performance.now() - listStarted);
    await page.keyboard.press("Escape");
    await openDay(page, nextWorkday(1));
    const again = Date.now();
    await field.fill(`${D.slice(8, 10)}.${D.slice(5, 7)}.${D.slice(0, 4)}`);
    await field.press("Enter");
    await page.waitForFunction((n) => document.querySelectorAll("button.appt[data-appointment-id]").length >= n, STAFF * PER_STAFF, { polling: "raf", timeout: 20_000 });
    const cachedMs = Date.now() - again;
    const paint = await page.evaluate(() => performance.getEntriesByType("paint").map((e) => `${e.name} ${Math.round(e.startTime)} ms`).join(", "));
    console.log(`first paint of a day with ${STAFF} staff and ${STAFF * PER_STAFF} appointments: ${dayShown} ms from entering the date to the last card; ${afterReload} ms from a reload of the app (${paint}); the API's appointments.list of that day alone ${listMs} ms; the day again from the renderer's cache ${cachedMs} ms`);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/full-day.png` });
  });
});
