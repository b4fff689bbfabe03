/** What the browser tests do and read on the desk page, in the app's German words. */
import { createAskProAIClient, type AskProAIClient } from "@askproai/client";
import { DateTime } from "luxon";
import type { Page } from "playwright-core";

export const ZONE = "Europe/Berlin";

/** The first local date at least `days` ahead on which the demo salon is open (Mon–Sat), skipping Mondays too when asked. */
export const nextWorkday = (days: number, weekdays = [2, 3, 4, 5]) => {
  let d = DateTime.now().setZone(ZONE).plus({ days });
  while (!weekdays.includes(d.weekday)) d = d.plus({ days: 1 });
  return d.toISODate()!;
};

/** An instant with Berlin's offset for a local date and "HH:mm". */
export const at = (date: string, hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: ZONE }).toISO({ suppressMilliseconds: true })!;

export const cell = (staffId: string, date: string, hhmm: string) => `button.cell[data-staff-id="${staffId}"][data-start="${new Date(at(date, hhmm)).toISOString()}"]`;

export const block = (appointmentId: string) => `button.appt[data-appointment-id="${appointmentId}"]`;

export const deskLogin = async (page: Page, email: string) => {
  await page.getByLabel("E-Mail").fill(email);
  await page.getByLabel("Passwort").fill("demo-pass-123");
  await page.getByRole("button", { name: "Anmelden" }).click();
  await page.locator(".workspace").waitFor();
};

export const openDay = async (page: Page, date: string) => {
  const field = page.locator(".datenav input.date-field");
  await field.fill(`${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`);
  await field.press("Enter");
  await page.locator(`.day[aria-label="${germanDay(date)}"]`).waitFor();
};

export const germanDay = (date: string) =>
  new Intl.DateTimeFormat("de-DE", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: ZONE }).format(new Date(at(date, "12:00")));

/** A typed API client for what the test does "as the voice agent" or checks on the server. */
export const apiAs = async (baseUrl: string, email: string): Promise<{ api: AskProAIClient; token: string }> => {
  const { token } = await createAskProAIClient({ url: baseUrl }).auth.login.mutate({ email, password: "demo-pass-123" });
  return { api: createAskProAIClient({ url: baseUrl, token }), token };
};

/** Presses Tab until the focused element matches (keyboard only), at most `limit` times. */
export const tabTo = async (page: Page, selector: string, limit = 60) => {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
};

/** Moves the day grid's keyboard focus from the focused cell to the cell of `staffId` at `hhmm`. */
export const arrowTo = async (page: Page, staffOrder: string[], staffId: string, date: string, hhmm: string) => {
  const from = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { staffId: el?.dataset.staffId ?? "", start: el?.dataset.start ?? "" };
  });
  if (!from.staffId) throw new Error("no calendar cell has focus");
  const columns = staffOrder.indexOf(staffId) - staffOrder.indexOf(from.staffId);
  const rows = (Date.parse(at(date, hhmm)) - Date.parse(from.start)) / (15 * 60_000);
  for (let i = 0; i < Math.abs(columns); i++) await page.keyboard.press(columns > 0 ? "ArrowRight" : "ArrowLeft");
  for (let i = 0; i < Math.abs(rows); i++) await page.keyboard.press(rows > 0 ? "ArrowDown" : "ArrowUp");
  await page.waitForFunction((s) => document.activeElement?.matches(s) ?? false, cell(staffId, date, hhmm));
};
