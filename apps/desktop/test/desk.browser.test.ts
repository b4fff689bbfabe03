/**
 * The front-desk renderer in real headless Chromium (Debian's, via playwright-core), German locale and
 * Berlin time, against the real API on a scratch database: log in, the day with staff columns, book
 * by mouse and by keyboard, a CONFLICT with alternatives, reschedule by drag and by keyboard, cancel,
 * a booking made through the API appearing live, the week view, and the debug view's timeline.
 * Screenshots go to apps/desktop/test-results/.
 */
import { mkdirSync } from "node:fs";
import type { AskProAIClient } from "@askproai/client";
import { recordJobEnd, recordJobStart } from "@askproai/db/ops";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, startDeskEnvironment, type DeskEnvironment } from "./support/desk-environment.js";
import { apiAs, arrowTo, at, block, cell, deskLogin, germanDay, nextWorkday, openDay, tabTo } from "./support/desk-page.js";

let env: DeskEnvironment;
let page: Page;
let desk: AskProAIClient;
let branchId: string;
let cut: { id: string };
let colour: { id: string };
let staff: { id: string; name: string }[];
const staffId = (first: string) => staff.find((s) => s.name.startsWith(first))!.id;
const problems: string[] = [];
const D = nextWorkday(2);
let phoneSeq = 1000;
const phone = () => `+4915799${String(phoneSeq++).padStart(5, "0")}`;

const book = (who: string, first: string, hhmm: string, service = cut.id) =>
  desk.appointments.create.mutate({ branchId, serviceId: service, staffId: staffId(first), start: at(D, hhmm), customer: { phone: phone(), name: who }, idempotencyKey: `e2e-${who}-${hhmm}-${Date.now()}` });

/** A card the server has confirmed (not one still waiting in the outbox). */
const confirmed = (labelStart: string) => `button.appt[data-appointment-id][data-status="confirmed"][aria-label^="${labelStart}"]`;

const list = () => desk.appointments.list.query({ branchId, from: at(D, "00:00"), to: at(D, "23:59") });

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  env = await startDeskEnvironment();
  desk = (await apiAs(env.api.baseUrl, "desk@simple-salon.example")).api;
  const [branch] = await desk.directory.branches.query();
  branchId = branch!.id;
  const services = await desk.directory.services.query({ branchId });
  cut = services.find((s) => s.durationMinutes === 30)!;
  colour = services.find((s) => s.durationMinutes === 90)!;
  staff = await desk.directory.staff.query({ branchId });
  page = await env.browser.context.newPage();
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
});
afterAll(async () => env?.close());

describe("the front desk in Chromium", () => {
  let prebooked: string;

  it("logs in and shows the day: one column per staff member, German 24-hour times, status in words, buffers drawn", async () => {
    prebooked = (await book("Ines Vorab", "Sophie", "09:00", colour.id)).id;
    await page.goto(env.host.url);
    await deskLogin(page, "desk@simple-salon.example");
    for (const s of staff) await expect.poll(() => page.getByRole("group", { name: `Spalte ${s.name}` }).count()).toBe(1);
    await openDay(page, D);
    await expect.poll(() => page.locator(".date-title").textContent()).toBe(germanDay(D));
    const card = page.locator(block(prebooked));
    await card.waitFor();
    const label = await card.getAttribute("aria-label");
    expect(label).toBe("09:00–10:30, Ines Vorab, Färben & Schneiden, Sophie Becker, Bestätigt");
    expect(await card.locator(".appt-icon").textContent()).toBe("✓");
    // The 90-minute colour service has a 15-minute buffer after it, drawn below the card.
    const column = page.getByRole("group", { name: "Spalte Sophie Becker" });
    expect(await column.locator(".buffer").count()).toBe(1);
    const axis = await page.locator(".axis").textContent();
    expect(axis).toContain("13:00");
    expect(axis).not.toMatch(/AM|PM/);
    expect(await page.locator(".conn").getAttribute("data-connection")).toBe("online");
  });

  it("books by mouse: a free cell, the customer found by phone as typed, only offered times", async () => {
    await desk.customers.upsert.mutate({ phone: "+4915112345678", name: "Marta Musterfrau" });
    await page.locator(cell(staffId("Lena"), D, "11:00")).click();
    await page.getByRole("heading", { name: "Neuer Termin" }).waitFor();
    await page.locator(".panel").getByLabel("Leistung").selectOption({ label: "Herrenhaarschnitt (30 min)" });
    await page.getByRole("radio", { name: "11:00–11:30 Lena Hoffmann", checked: true }).waitFor();
    await page.getByRole("combobox", { name: "Kunde (Name oder Telefon)" }).fill("0151 1234");
    await page.getByRole("option", { name: /Marta Musterfrau/ }).click();
    await page.getByText("Gewählt: Marta Musterfrau (+4915112345678)").waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/booking-panel.png` });
    await page.getByRole("button", { name: "Buchen", exact: true }).click();
    await page.locator(confirmed("11:00–11:30, Marta Musterfrau")).waitFor();
    const marta = (await list()).find((a) => a.customer.name === "Marta Musterfrau")!;
    expect(marta).toMatchObject({ staffId: staffId("Lena"), start: at(D, "11:00"), status: "confirmed", source: "desktop" });
  });

  it("books by keyboard only: arrows to a cell, Enter, Tab to the customer, Enter books", async () => {
    await page.locator(".datenav input.date-field").focus();
    await tabTo(page, "button.cell");
    await arrowTo(page, staff.map((s) => s.id), staffId("Murat"), D, "14:00");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Neuer Termin" }).waitFor();
    // The service field has the focus: type-ahead picks the haircut.
    await page.keyboard.press("h");
    await page.getByRole("radio", { name: "14:00–14:30 Murat Yılmaz", checked: true }).waitFor();
    await tabTo(page, '[role="combobox"]');
    await page.keyboard.type("Karl Tastatur");
    await tabTo(page, 'input[type="tel"]');
    await page.keyboard.type("0170 5556667");
    await page.keyboard.press("Enter");
    await page.locator(confirmed("14:00–14:30, Karl Tastatur")).waitFor();
    const karl = (await list()).find((a) => a.customer.name === "Karl Tastatur")!;
    expect(karl).toMatchObject({ staffId: staffId("Murat"), start: at(D, "14:00"), customer: { phone: "+491705556667" } });
  });

  it("shows why a booking was refused (CONFLICT) and books one of the server's alternatives in one click", async () => {
    await page.locator(cell(staffId("Sophie"), D, "15:00")).click();
    await page.getByRole("radio", { name: "15:00–15:30 Sophie Becker", checked: true }).waitFor();
    await page.locator(".panel").getByLabel("Name", { exact: true }).fill("Clara Konflikt");
    await page.locator(".panel").getByLabel("Telefon", { exact: true }).fill("0151 2223334");
    // Meanwhile the voice agent books that very slot.
    await book("Volker Voice", "Sophie", "15:00");
    await page.getByRole("button", { name: "Buchen", exact: true }).click();
    const alert = page.locator(".panel .problem");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("15:00 ist nicht mehr frei.");
    const alternatives = alert.getByRole("button", { name: /nehmen$/ });
    expect(await alternatives.count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/conflict-alternatives.png` });
    const first = (await alternatives.first().textContent())!;
    await alternatives.first().click();
    await page.locator('button.appt[data-status="confirmed"][aria-label*="Clara Konflikt"]').waitFor();
    const clara = (await list()).find((a) => a.customer.name === "Clara Konflikt")!;
    expect(first).toContain(new Intl.DateTimeFormat("de-DE", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin" }).format(new Date(clara.start)));
    expect(first).toContain(clara.staffName);
    expect(clara.start === at(D, "15:00") && clara.staffId === staffId("Sophie")).toBe(false);
  });

  it("reschedules by drag and drop onto another cell", async () => {
    const marta = (await list()).find((a) => a.customer.name === "Marta Musterfrau")!;
    await page.locator(block(marta.id)).dragTo(page.locator(cell(staffId("Lena"), D, "12:30")));
    await page.locator(confirmed("12:30–13:00, Marta Musterfrau")).waitFor();
    expect((await desk.appointments.get.query({ id: marta.id })).start).toBe(at(D, "12:30"));
  });

  it("reschedules by keyboard: Enter on the cell, M, arrows through the offered times, Enter", async () => {
    const karl = (await list()).find((a) => a.customer.name === "Karl Tastatur")!;
    await page.keyboard.press("Escape");
    await page.locator(".datenav input.date-field").focus();
    await tabTo(page, "button.cell");
    await arrowTo(page, staff.map((s) => s.id), staffId("Murat"), D, "14:00");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /^Termin · 14:00–14:30/ }).waitFor();
    const offered = await desk.availability.slots.query({ branchId, serviceId: cut.id, staffId: staffId("Murat"), from: D, days: 1 });
    await page.keyboard.press("m");
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "radio");
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    const last = offered.slots.at(-1)!;
    await expect.poll(async () => (await desk.appointments.get.query({ id: karl.id })).start, { timeout: 5_000 }).toBe(last.start);
    await page.locator(`button.appt[data-appointment-id="${karl.id}"][aria-label^="${new Intl.DateTimeFormat("de-DE", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin" }).format(new Date(last.start))}"]`).waitFor();
    // Not started yet: completed and no-show are offered only from the start on.
    expect(await page.getByRole("button", { name: /^Abgeschlossen/ }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: /^Nicht erschienen/ }).isDisabled()).toBe(true);
  });

  it("cancels in one action", async () => {
    const marta = (await list()).find((a) => a.customer.name === "Marta Musterfrau")!;
    await page.locator(block(marta.id)).click();
    await page.getByRole("button", { name: /^Stornieren/ }).click();
    await page.locator(block(marta.id)).waitFor({ state: "detached" });
    expect((await desk.appointments.get.query({ id: marta.id })).status).toBe("cancelled");
  });

  it("shows a booking made through the API (as the voice agent would) without reload, highlighted", async () => {
    await page.keyboard.press("Escape");
    const made = await book("Vera Voice", "Lena", "16:00");
    const committed = Date.now();
    await page.locator(block(made.id)).waitFor({ timeout: 5_000 });
    const seen = Date.now();
    const applied = await page.evaluate((id) => {
      const mark = performance.getEntriesByName(`askproai:live-applied:${id}`)[0];
      return mark ? performance.timeOrigin + mark.startTime : null;
    }, made.id);
    expect(applied).not.toBeNull();
    console.log(`live update: applied ${Math.round(applied! - committed)} ms after the API's commit (seen by the test after ${seen - committed} ms)`);
    expect(await page.locator(block(made.id)).getAttribute("class")).toContain("live-flash");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/day-view.png` });
  });

  it("shows the week per staff member and opens a day from it; English is one key away, still 24-hour", async () => {
    await page.keyboard.press("w");
    const row = page.getByRole("row", { name: /Lena Hoffmann/ });
    await row.getByRole("button", { name: /Vera Voice/ }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/week-view.png` });
    await page.keyboard.press("l");
    await page.getByRole("button", { name: "Day", exact: true }).waitFor();
    expect(await page.getByRole("row", { name: /Lena Hoffmann/ }).getByRole("button", { name: /Vera Voice/ }).textContent()).toContain("16:00");
    await page.keyboard.press("l");
    await page.getByRole("button", { name: new RegExp(`${germanDay(D)} als Tagesansicht öffnen`) }).click();
    await page.locator(`.day[aria-label="${germanDay(D)}"]`).waitFor();
  });

  it("shows the owner a failed booking's timeline in the debug view", async () => {
    const owner = await apiAs(env.api.baseUrl, "owner@simple-salon.example");
    const failing = await owner.api.appointments.create.mutate({
      branchId, serviceId: cut.id, staffId: staffId("Lena"), start: at(D, "17:00"), customer: { phone: phone(), name: "Debora Fehler" }, idempotencyKey: `e2e-debug-${Date.now()}`,
    });
    const companyId = (await owner.api.auth.me.query()).companyId;
    // What the calendar worker leaves behind when Cal.com refuses: two job attempts and two outside calls.
    for (const [attempt, status] of [[1, 503], [2, 400]] as const) {
      const run = await recordJobStart(env.api.scratch.db, { queue: "calendar", jobName: "calendar.sync", jobId: "outbox-e2e", attempt, correlationId: failing.correlationId, companyId });
      await env.api.scratch.db.apiCallLog.create({ data: { companyId, correlationId: failing.correlationId, service: "calcom", method: "POST", endpoint: "/v2/bookings", statusCode: status, durationMs: 40 } });
      await recordJobEnd(env.api.scratch.db, run, attempt === 1 ? "failed" : "gave_up", `Cal.com answered ${status}`);
    }
    await env.api.scratch.db.appointment.update({ where: { id: failing.id }, data: { calendarSyncStatus: "failed", calendarSyncError: "Cal.com answered 400: eventTypeId unknown" } });

    await page.getByRole("button", { name: "Abmelden" }).click();
    await deskLogin(page, "owner@simple-salon.example");
    await page.keyboard.press("g");
    const row = page.getByRole("row", { name: /Kalender-Sync fehlgeschlagen/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("Cal.com answered 400: eventTypeId unknown");
    expect(await row.textContent()).toContain("D. F.");
    await row.getByRole("button", { name: "Verlauf anzeigen" }).click();
    const entries = page.locator(".timeline-entry");
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(5);
    const text = (await entries.allTextContents()).join("\n");
    expect(text).toContain("appointment created");
    expect(text).toMatch(/503[\s\S]*400/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/debug-view.png` });
  });

  it("raised no script errors and no CSP violations", () => {
    expect(problems.filter((p) => !/status of (401|409|400)/.test(p))).toEqual([]);
  });
});
