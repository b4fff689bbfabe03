/**
 * Working through an outage, in Chromium against the real API: the API becomes unreachable for the
 * desk (a TCP gate in front of it goes down), the desk makes two bookings and a cancel, they survive a
 * reload as "pending", the voice agent meanwhile books one of those slots through the API directly;
 * when the API is back the changes are sent in order, two confirm and one lands in the conflict tray
 * with the server's alternatives, one click resolves it.
 */
import { mkdirSync } from "node:fs";
import type { AskProAIClient } from "@askproai/client";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, startDeskEnvironment, type DeskEnvironment } from "./support/desk-environment.js";
import { apiAs, at, block, cell, deskLogin, nextWorkday, openDay } from "./support/desk-page.js";

let env: DeskEnvironment;
let page: Page;
let desk: AskProAIClient;
let branchId: string;
let cutId: string;
let staff: { id: string; name: string }[];
const staffId = (first: string) => staff.find((s) => s.name.startsWith(first))!.id;
const D = nextWorkday(3);
const list = () => desk.appointments.list.query({ branchId, from: at(D, "00:00"), to: at(D, "23:59") });

beforeAll(async () => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  env = await startDeskEnvironment();
  desk = (await apiAs(env.api.baseUrl, "desk@simple-salon.example")).api;
  branchId = (await desk.directory.branches.query())[0]!.id;
  cutId = (await desk.directory.services.query({ branchId })).find((s) => s.durationMinutes === 30)!.id;
  staff = await desk.directory.staff.query({ branchId });
  page = await env.browser.context.newPage();
});
afterAll(async () => env?.close());

const bookOffline = async (first: string, hhmm: string, name: string, phone: string) => {
  await page.locator(cell(staffId(first), D, hhmm)).click();
  await page.getByText("Offline: Zeiten aus dem zuletzt geladenen Kalender").waitFor();
  await page.getByRole("radio", { name: `${hhmm}–${hhmm.replace(/:00$/, ":30")} ${staff.find((s) => s.id === staffId(first))!.name}`, checked: true }).waitFor();
  await page.locator(".panel").getByLabel("Name", { exact: true }).fill(name);
  await page.locator(".panel").getByLabel("Telefon", { exact: true }).fill(phone);
  await page.getByRole("button", { name: "Buchen", exact: true }).click();
  await page.getByText(`Offline gespeichert: ${new Intl.DateTimeFormat("de-DE", { weekday: "short", day: "2-digit", month: "2-digit", timeZone: "Europe/Berlin" }).format(new Date(at(D, hhmm)))} ${hhmm}, ${name}`).waitFor();
  await page.locator(`button.appt[data-outbox-id][data-status="outbox"][aria-label^="${hhmm}"][aria-label*="${name}"]`).waitFor();
};

describe("the desk through an outage", () => {
  let otto: string;

  it("keeps the day readable and takes two bookings and a cancel while the API is unreachable", async () => {
    otto = (await desk.appointments.create.mutate({
      branchId, serviceId: cutId, staffId: staffId("Lena"), start: at(D, "15:00"), customer: { phone: "+4915790001111", name: "Otto Storno" }, idempotencyKey: `offline-otto-${Date.now()}`,
    })).id;
    await page.goto(env.host.url);
    await deskLogin(page, "desk@simple-salon.example");
    await openDay(page, D);
    await page.locator(block(otto)).waitFor();
    // Let the persisted cache catch up with what is on screen.
    await page.waitForTimeout(600);

    await env.gate.down();
    await page.locator('.conn[data-connection="offline"]').waitFor({ timeout: 15_000 });
    expect(await page.locator(".conn").textContent()).toBe("Offline");
    expect(await page.locator(".offline-note").textContent()).toContain("Änderungen werden lokal gespeichert und gesendet, sobald die Verbindung zurück ist.");

    await bookOffline("Lena", "10:00", "Olaf Offline", "0151 4440001");
    await bookOffline("Murat", "11:00", "Olga Offline", "0151 4440002");
    await page.locator(block(otto)).click();
    await page.getByRole("button", { name: /^Stornieren/ }).click();
    await page.locator(`${block(otto)}[data-status="outboxCancel"]`).waitFor();
    await page.keyboard.press("Escape");
    expect(await page.getByTestId("pending-count").textContent()).toContain("Ausstehend: 3");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/offline-pending.png` });

    // Nothing reached the server.
    expect((await list()).map((a) => a.customer.name)).toEqual(["Otto Storno"]);
  });

  it("keeps the pending changes and the calendar through a reload while still offline", async () => {
    // Meanwhile the voice agent books the 11:00 slot that Olga's offline booking wants.
    await desk.appointments.create.mutate({
      branchId, serviceId: cutId, staffId: staffId("Murat"), start: at(D, "11:00"), customer: { phone: "+4915790002222", name: "Viktor Voice" }, idempotencyKey: `offline-viktor-${Date.now()}`,
    });
    await page.reload();
    await page.locator('.conn[data-connection="offline"]').waitFor({ timeout: 15_000 });
    await page.locator(`${block(otto)}[data-status="outboxCancel"]`).waitFor();
    await page.locator('button.appt[data-status="outbox"][aria-label*="Olaf Offline"]').waitFor();
    await page.locator('button.appt[data-status="outbox"][aria-label*="Olga Offline"]').waitFor();
    expect(await page.getByTestId("pending-count").textContent()).toContain("Ausstehend: 3");
    expect(await page.locator(".offline-note").textContent()).toMatch(/^Offline: Kalender vom Stand \d\d\.\d\d\.\d{4}, \d\d:\d\d\. /);
  });

  it("sends them in order when the API is back: two confirm, the taken slot goes to the conflict tray with alternatives", async () => {
    await env.gate.up();
    await page.locator('.conn[data-connection="online"]').waitFor({ timeout: 15_000 });
    await page.getByTestId("conflict-count").filter({ hasText: "Konflikte: 1" }).waitFor({ timeout: 15_000 });
    await page.getByTestId("pending-count").waitFor({ state: "detached" });
    await page.locator('button.appt[data-appointment-id][data-status="confirmed"][aria-label^="10:00–10:30, Olaf Offline"]').waitFor();
    await page.locator(block(otto)).waitFor({ state: "detached" });

    const server = await list();
    expect(server.find((a) => a.customer.name === "Olaf Offline")).toMatchObject({ start: at(D, "10:00"), staffId: staffId("Lena"), status: "confirmed", source: "desktop" });
    expect(server.find((a) => a.customer.name === "Otto Storno")!.status).toBe("cancelled");
    expect(server.find((a) => a.customer.name === "Viktor Voice")).toMatchObject({ start: at(D, "11:00"), staffId: staffId("Murat") });
    expect(server.some((a) => a.customer.name === "Olga Offline")).toBe(false);

    await page.getByTestId("conflict-count").click();
    const entry = page.locator(".tray-entry").filter({ hasText: "Olga Offline" });
    await entry.waitFor();
    expect(await entry.textContent()).toContain("11:00 ist nicht mehr frei.");
    const alternatives = entry.getByRole("button", { name: /nehmen$/ });
    expect(await alternatives.count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/conflict-tray.png` });

    await alternatives.first().click();
    await page.getByText("Keine Konflikte.").waitFor();
    const olga = (await list()).find((a) => a.customer.name === "Olga Offline")!;
    expect(olga.status).toBe("confirmed");
    expect(olga.start === at(D, "11:00") && olga.staffId === staffId("Murat")).toBe(false);
    expect(await page.getByTestId("conflict-count").textContent()).toContain("Konflikte: 0");
  });
});
