/**
 * A company's Cal.com connection as owners set it and the desk sees it: the API key (sealed with
 * SECRETS_KEY before it is stored; never answered, never logged, audited only as "set"/"removed"), sync
 * on/off (`companies.calcom_sync_enabled`, which booking operations read to write their outbox rows),
 * the mappings (services → event type ids, staff → Cal.com user ids) and `calendarStatus` (breaker state
 * as the worker last wrote it, last success, last error, pending and failed syncs, open conflicts).
 */
import { DomainError, notFound, toZonedIso, type SetCalendarConnectionInput, type SetCalendarMappingsInput, type SetCalendarSyncInput } from "@askproai/shared";
import type { SecretBox } from "@askproai/shared/server";
import type { OperationContext } from "../context.js";
import { applyChange } from "../setup/change.js";

export interface CalendarStatus {
  syncEnabled: boolean;
  connected: boolean;
  breaker: { state: string; changedAt: string | null };
  lastSuccessAt: string | null;
  lastError: { at: string; message: string } | null;
  pendingCount: number;
  failedCount: number;
  openConflicts: number;
  reconciledAt: string | null;
}

export interface CalendarMappings {
  services: { serviceId: string; name: string; eventTypeId: number | null }[];
  staff: { staffId: string; name: string; calcomUserId: number | null }[];
}

type Ctx = Pick<OperationContext, "db" | "sql" | "companyId" | "correlationId" | "actor" | "caches" | "now">;

export const calendarStatus = async (ctx: Pick<OperationContext, "sql" | "companyId">): Promise<CalendarStatus> => {
  const { rows } = await ctx.sql.query<{
    timezone: string; syncEnabled: boolean; connected: boolean | null; breakerState: string | null; breakerChangedAt: Date | null;
    lastSuccessAt: Date | null; lastErrorAt: Date | null; lastError: string | null; reconciledAt: Date | null;
    pending: string; failed: string; conflicts: string;
  }>({
    name: "askproai_calendar_status",
    text: `SELECT c.timezone, c.calcom_sync_enabled AS "syncEnabled", cc.api_key_encrypted IS NOT NULL AS connected,
             cc.breaker_state AS "breakerState", cc.breaker_changed_at AS "breakerChangedAt", cc.last_success_at AS "lastSuccessAt",
             cc.last_error_at AS "lastErrorAt", cc.last_error AS "lastError", cc.reconciled_at AS "reconciledAt",
             (SELECT count(*) FROM appointments a WHERE a.company_id = c.id AND a.calendar_sync_status = 'pending') AS pending,
             (SELECT count(*) FROM appointments a WHERE a.company_id = c.id AND a.calendar_sync_status = 'failed') AS failed,
             (SELECT count(*) FROM calendar_conflicts k WHERE k.company_id = c.id AND k.resolved_at IS NULL) AS conflicts
           FROM companies c LEFT JOIN calendar_connections cc ON cc.company_id = c.id
           WHERE c.id = $1::uuid`,
    values: [ctx.companyId],
  });
  const r = rows[0];
  if (!r) throw notFound("company");
  const iso = (d: Date | null) => (d ? toZonedIso(d.getTime(), r.timezone) : null);
  return {
    syncEnabled: r.syncEnabled,
    connected: r.connected === true,
    breaker: { state: r.breakerState ?? "closed", changedAt: iso(r.breakerChangedAt) },
    lastSuccessAt: iso(r.lastSuccessAt),
    lastError: r.lastErrorAt && r.lastError ? { at: iso(r.lastErrorAt)!, message: r.lastError } : null,
    pendingCount: Number(r.pending),
    failedCount: Number(r.failed),
    openConflicts: Number(r.conflicts),
    reconciledAt: iso(r.reconciledAt),
  };
};

/** Stores (or removes: sync goes off) the company's Cal.com API key, sealed; answers the status (never the key). */
export const setCalendarConnection = async (ctx: Ctx, secrets: SecretBox, input: SetCalendarConnectionInput): Promise<CalendarStatus> => {
  await applyChange(ctx, async (tx) => {
    const before = await tx.calendarConnection.findFirst({ select: { apiKeyEncrypted: true } });
    const sealed = input.apiKey === null ? null : secrets.seal(input.apiKey);
    await tx.calendarConnection.upsert({
      where: { companyId: ctx.companyId },
      create: { companyId: ctx.companyId, apiKeyEncrypted: sealed },
      update: { apiKeyEncrypted: sealed, lastError: null, lastErrorAt: null },
    });
    // Without a key nothing can sync: removing it switches sync off (audited with it).
    if (sealed === null) await tx.company.update({ where: { id: ctx.companyId }, data: { calcomSyncEnabled: false } });
    const from = before?.apiKeyEncrypted ? "set" : "none";
    const to = sealed ? (before?.apiKeyEncrypted ? "replaced" : "set") : "removed";
    return { result: null, audit: { action: "calendar.connection", entity: "company", entityId: ctx.companyId, changes: { calcomApiKey: { from, to } } } };
  });
  return calendarStatus(ctx);
};

/** Sync on or off; switching it on needs a stored API key. */
export const setCalendarSync = async (ctx: Ctx, input: SetCalendarSyncInput): Promise<CalendarStatus> => {
  await applyChange(ctx, async (tx) => {
    const company = await tx.company.findFirst({ select: { calcomSyncEnabled: true } });
    if (!company) throw notFound("company");
    if (input.enabled) {
      const connection = await tx.calendarConnection.findFirst({ select: { apiKeyEncrypted: true } });
      if (!connection?.apiKeyEncrypted) {
        throw new DomainError("BAD_REQUEST", "enabled: store the company's Cal.com API key (calendar.setConnection) before switching sync on", { fields: ["enabled"] });
      }
    }
    if (company.calcomSyncEnabled === input.enabled) return { result: null, audit: [] };
    await tx.company.update({ where: { id: ctx.companyId }, data: { calcomSyncEnabled: input.enabled } });
    return { result: null, audit: { action: "calendar.sync", entity: "company", entityId: ctx.companyId, changes: { calcomSyncEnabled: { from: company.calcomSyncEnabled, to: input.enabled } } } };
  });
  return calendarStatus(ctx);
};

export const calendarMappings = async (ctx: Pick<OperationContext, "db">): Promise<CalendarMappings> => {
  const [services, staff] = await Promise.all([
    ctx.db.service.findMany({ select: { id: true, name: true, calcomEventTypeId: true }, orderBy: { name: "asc" } }),
    ctx.db.staff.findMany({ select: { id: true, name: true, calcomUserId: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    services: services.map((s) => ({ serviceId: s.id, name: s.name, eventTypeId: s.calcomEventTypeId })),
    staff: staff.map((s) => ({ staffId: s.id, name: s.name, calcomUserId: s.calcomUserId })),
  };
};

/** Sets the given mappings (others stay); an id of another company or none is NOT_FOUND naming it. */
export const setCalendarMappings = async (ctx: Ctx, input: SetCalendarMappingsInput): Promise<CalendarMappings> => {
  await applyChange(ctx, async (tx) => {
    const audit = [];
    for (const [i, m] of input.services.entries()) {
      const before = await tx.service.findFirst({ where: { id: m.serviceId }, select: { calcomEventTypeId: true } });
      if (!before) throw new DomainError("NOT_FOUND", `services.${i}.serviceId: service not found`, { fields: [`services.${i}.serviceId`] });
      if (before.calcomEventTypeId === m.eventTypeId) continue;
      await tx.service.update({ where: { id: m.serviceId }, data: { calcomEventTypeId: m.eventTypeId } });
      audit.push({ action: "calendar.mapping", entity: "service", entityId: m.serviceId, changes: { calcomEventTypeId: { from: before.calcomEventTypeId, to: m.eventTypeId } } });
    }
    for (const [i, m] of input.staff.entries()) {
      const before = await tx.staff.findFirst({ where: { id: m.staffId }, select: { calcomUserId: true } });
      if (!before) throw new DomainError("NOT_FOUND", `staff.${i}.staffId: staff member not found`, { fields: [`staff.${i}.staffId`] });
      if (before.calcomUserId === m.calcomUserId) continue;
      await tx.staff.update({ where: { id: m.staffId }, data: { calcomUserId: m.calcomUserId } });
      audit.push({ action: "calendar.mapping", entity: "staff", entityId: m.staffId, changes: { calcomUserId: { from: before.calcomUserId, to: m.calcomUserId } } });
    }
    return { result: null, audit };
  });
  return calendarMappings(ctx);
};
