/** calendar.* over plain HTTP: the owner sets the Cal.com connection (the key is sealed, never answered), sync and mappings; everyone sees the status. */
import { contextFor, createDomainDeps, poolOf } from "@askproai/db";
import { applyCalcomWebhook } from "@askproai/db/calendar";
import { DEMO_CALCOM } from "@askproai/db/seed";
import { createSecretBox, DEMO_SECRETS } from "@askproai/shared/server";
import { describe, expect, it } from "vitest";
import { at, nextDate } from "./testing/dates.js";
import { uniqueKey, useTestApi } from "./testing/server.js";

const t = useTestApi();

const storedKey = async (slug: string) =>
  (await poolOf(t.api.scratch.db).query<{ sealed: string | null }>(
    "SELECT cc.api_key_encrypted AS sealed FROM calendar_connections cc JOIN companies c ON c.id = cc.company_id WHERE c.slug = $1", [slug],
  )).rows[0]?.sealed ?? null;

describe("calendar.*", () => {
  it("the demo salon syncs with its sealed demo key and mapped services and staff", async () => {
    const desk = await t.client.login("desk@simple-salon.example");
    const status = await t.client.query("calendar.status", undefined, desk.token);
    expect(status.data).toMatchObject({ syncEnabled: true, connected: true, breaker: { state: "closed" }, pendingCount: 0, failedCount: 0 });
    const sealed = await storedKey("simple-salon");
    expect(sealed).not.toContain(DEMO_CALCOM.apiKey);
    expect(createSecretBox(DEMO_SECRETS.SECRETS_KEY).open(sealed!)).toBe(DEMO_CALCOM.apiKey);
    const mappings = await t.client.query("calendar.mappings", undefined, desk.token);
    expect(mappings.data.services.map((s: { eventTypeId: number }) => s.eventTypeId).sort()).toEqual(Object.values(DEMO_CALCOM.eventTypes).sort());
    expect(mappings.data.staff.map((s: { calcomUserId: number }) => s.calcomUserId).sort()).toEqual([...DEMO_CALCOM.userIds].sort());
  });

  it("only owners change the connection; the key is stored sealed and never answered; bad input names the field", async () => {
    const desk = await t.client.login("desk@hotline-clinic.example");
    const owner = await t.client.login("owner@hotline-clinic.example");
    expect((await t.client.mutation("calendar.setConnection", { apiKey: "cal_live_secret_123" }, desk.token)).error?.data.code).toBe("FORBIDDEN");
    const refused = await t.client.mutation("calendar.setSync", { enabled: true }, owner.token);
    expect(refused.error?.data).toMatchObject({ code: "BAD_REQUEST", fields: ["enabled"] });
    const bad = await t.client.mutation("calendar.setConnection", { apiKey: "not-a-key" }, owner.token);
    expect(bad.error?.data).toMatchObject({ code: "BAD_REQUEST", fields: ["apiKey"] });

    const set = await t.client.mutation("calendar.setConnection", { apiKey: "cal_live_secret_123" }, owner.token);
    expect(set.status).toBe(200);
    expect(JSON.stringify(set.body)).not.toContain("cal_live_secret_123");
    expect(set.data).toMatchObject({ connected: true, syncEnabled: false });
    const sealed = await storedKey("hotline-clinic");
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain("secret_123");
    expect((await t.client.mutation("calendar.setSync", { enabled: true }, owner.token)).data).toMatchObject({ syncEnabled: true, connected: true });

    const services = (await t.client.query("calendar.mappings", undefined, owner.token)).data.services as { serviceId: string }[];
    const mapped = await t.client.mutation("calendar.setMappings", { services: [{ serviceId: services[0]!.serviceId, eventTypeId: 777 }] }, owner.token);
    expect(mapped.data.services.find((s: { serviceId: string }) => s.serviceId === services[0]!.serviceId).eventTypeId).toBe(777);
    const foreign = (await t.client.query("calendar.mappings", undefined, (await t.client.login("owner@simple-salon.example")).token)).data.services[0].serviceId;
    expect((await t.client.mutation("calendar.setMappings", { services: [{ serviceId: foreign, eventTypeId: 1 }] }, owner.token)).error?.data.code).toBe("NOT_FOUND");

    const audit = await t.client.query("setup.auditLog", { entity: "company" }, owner.token);
    expect(JSON.stringify(audit.body)).not.toContain("cal_live_secret_123");
    expect(audit.data.some((e: { action: string }) => e.action === "calendar.connection")).toBe(true);

    expect((await t.client.mutation("calendar.setConnection", { apiKey: null }, owner.token)).data).toMatchObject({ connected: false, syncEnabled: false });
  });

  it("a Cal.com booking that clashes with an appointment here is a conflict the desk sees and resolves", async () => {
    const desk = await t.client.login("desk@simple-salon.example");
    const branchId = (await t.client.query("directory.branches", undefined, desk.token)).data[0].id as string;
    const serviceId = (await t.client.query("directory.services", { branchId }, desk.token)).data[0].id as string;
    const staff = (await t.client.query("calendar.mappings", undefined, desk.token)).data.staff as { staffId: string; calcomUserId: number }[];
    const start = at(nextDate(9), "10:00");
    const booked = await t.client.mutation("appointments.create", { branchId, serviceId, staffId: staff[0]!.staffId, start, customer: { phone: "0151 4445556", name: "Lokal" }, idempotencyKey: uniqueKey("clash") }, desk.token);
    expect(booked.status).toBe(200);
    // Cal.com's webhook for a booking made there at the same time with the same staff member (as the webhook processor applies it).
    const body = { triggerEvent: "BOOKING_CREATED", createdAt: new Date().toISOString(), payload: {
      uid: "clashUid0000000000000001", startTime: new Date(start).toISOString(), endTime: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
      organizer: { id: staff[0]!.calcomUserId }, eventTypeId: 1201, status: "ACCEPTED", metadata: {}, attendees: [{ name: "Jemand", email: "jemand@example.org", phoneNumber: null }],
    } };
    const companyId = (await poolOf(t.api.scratch.db).query<{ id: string }>("SELECT id FROM companies WHERE slug = 'simple-salon'")).rows[0]!.id;
    const ctx = contextFor(createDomainDeps(t.api.scratch.db, null), { companyId, correlationId: "corr-clash-api", actor: { type: "calcom" }, source: "calcom" });
    expect((await ctx.sql.transaction((tx) => applyCalcomWebhook(tx, ctx, body))).outcome).toBe("conflict");

    const conflicts = await t.client.query("calendar.conflicts", undefined, desk.token);
    expect(conflicts.data).toEqual([expect.objectContaining({ calcomBookingUid: "clashUid0000000000000001", staffId: staff[0]!.staffId, appointmentId: booked.data.id, start, resolvedAt: null })]);
    expect((await t.client.query("calendar.status", undefined, desk.token)).data.openConflicts).toBe(1);
    const resolved = await t.client.mutation("calendar.resolveConflict", { id: conflicts.data[0].id }, desk.token);
    expect(resolved.data.resolvedAt).not.toBeNull();
    expect((await t.client.query("calendar.conflicts", undefined, desk.token)).data).toEqual([]);
    expect((await t.client.query("calendar.conflicts", { includeResolved: true }, desk.token)).data).toHaveLength(1);
    expect((await t.client.mutation("calendar.resolveConflict", { id: branchId }, desk.token)).error?.data.code).toBe("NOT_FOUND");
  });
});
