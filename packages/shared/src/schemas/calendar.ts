/** Inputs of the calendar area (`calendar.*`): the company's Cal.com connection, mappings and conflicts. */
import { z } from "zod";
import { idSchema } from "./common.js";
import { text } from "./text.js";

const calcomId = z.number({ error: "must be a number" }).int({ message: "must be a whole number" }).positive({ message: "must be positive" }).max(2_147_483_647, { message: "is too large" });

export const setCalendarConnectionInput = z.object({
  /** The company's Cal.com API key (`cal_…`); stored encrypted, never answered; null disconnects. */
  apiKey: text({ max: 200 })
    .regex(/^cal_[A-Za-z0-9_]{4,196}$/, { message: "must be a Cal.com API key (cal_…)" })
    .nullable(),
});
export type SetCalendarConnectionInput = z.infer<typeof setCalendarConnectionInput>;

export const setCalendarSyncInput = z.object({ enabled: z.boolean({ error: "must be true or false" }) });
export type SetCalendarSyncInput = z.infer<typeof setCalendarSyncInput>;

export const setCalendarMappingsInput = z.object({
  /** Service → Cal.com event type id (null clears it). */
  services: z.array(z.object({ serviceId: idSchema, eventTypeId: calcomId.nullable() })).max(500).default([]),
  /** Staff member → Cal.com user id (null clears it). */
  staff: z.array(z.object({ staffId: idSchema, calcomUserId: calcomId.nullable() })).max(500).default([]),
});
export type SetCalendarMappingsInput = z.infer<typeof setCalendarMappingsInput>;

export const calendarConflictsInput = z.object({ includeResolved: z.boolean().default(false) }).optional();
export const resolveCalendarConflictInput = z.object({ id: idSchema });
