/** A fixture company connected to Cal.com (the stand-in): sync on, the key sealed, services and staff mapped. */
import { createSecretBox } from "@askproai/shared/server";
import type { Db } from "../client.js";
import type { FixtureCompany } from "./fixtures.js";

export const TEST_SECRETS_KEY = "test-secrets-key-for-calendar-sync";
export const TEST_EVENT_TYPES = { short: 501, long: 502 } as const;

let keys = 0;
/** A fresh API key per company (each key is one Cal.com user in the stand-in). */
export const testCalcomKey = () => `cal_test_${Date.now().toString(36)}_${keys++}`;

export const connectCalendar = async (db: Db, f: FixtureCompany, apiKey: string, { userIds = [] as number[] } = {}) => {
  await db.company.update({ where: { id: f.companyId }, data: { calcomSyncEnabled: true } });
  await db.calendarConnection.upsert({
    where: { companyId: f.companyId },
    create: { companyId: f.companyId, apiKeyEncrypted: createSecretBox(TEST_SECRETS_KEY).seal(apiKey) },
    update: { apiKeyEncrypted: createSecretBox(TEST_SECRETS_KEY).seal(apiKey) },
  });
  await db.service.update({ where: { id: f.serviceIds.short }, data: { calcomEventTypeId: TEST_EVENT_TYPES.short } });
  await db.service.update({ where: { id: f.serviceIds.long }, data: { calcomEventTypeId: TEST_EVENT_TYPES.long } });
  for (const [i, staffId] of f.staffIds.entries()) {
    if (userIds[i] !== undefined) await db.staff.update({ where: { id: staffId }, data: { calcomUserId: userIds[i] } });
  }
};
