/**
 * Inputs and outputs of the pure availability computation. Instants are epoch milliseconds (UTC);
 * local wall-clock values (weekday, minutes of day, local dates) are interpreted in `timezone`.
 * Every interval is half-open: [start, end).
 */
import type { BusinessModel } from "../business-models/types.js";

export interface Interval {
  start: number;
  end: number;
}

/** A weekly working window of one staff member at the branch being queried. */
export interface WeeklyRule {
  staffId: string;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local minutes after midnight, 0…1440, startMinute < endMinute. */
  startMinute: number;
  endMinute: number;
  /** Local dates (YYYY-MM-DD), inclusive; null = unbounded. */
  validFrom?: string | null;
  validUntil?: string | null;
}

/**
 * `time_off` (leave, appointments elsewhere), `sick` (a sick day: the same effect as time off, kept
 * apart so the desk sees why), `holiday` and `closure` (usually branch- or company-wide) remove
 * working time; `extra_availability` adds some.
 */
export const EXCEPTION_KINDS = ["time_off", "sick", "holiday", "closure", "extra_availability"] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/**
 * A change to the weekly rules. staffId null = applies to every staff member of the branch
 * (holidays, closures). `extra_availability` adds working time, every other kind removes it.
 */
export interface AvailabilityException extends Interval {
  staffId: string | null;
  kind: ExceptionKind;
}

/**
 * Time that is already taken: an active appointment's blocked range (buffers included) or an
 * unexpired slot lock / hold. Exactly one of staffId / resourceId is the subject; an appointment that
 * uses a room appears twice (once for the staff member, once for the room).
 */
export interface BusyInterval extends Interval {
  staffId?: string | null;
  resourceId?: string | null;
}

export interface ServiceSpec {
  id: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** complex_service_matrix: the minimum skill level a staff member needs; null = any skill entry. */
  requiredSkillLevel: number | null;
  /** complex_service_matrix: the kind of resource (e.g. "treatment_room") the whole appointment needs. */
  requiredResourceKind: string | null;
}

export interface StaffCandidate {
  id: string;
  /** Whether the staff member offers the service at all (simple model). */
  offersService: boolean;
  /** Skill entries valid at this branch. */
  skills: { serviceId: string; level: number }[];
}

export interface ResourceSpec {
  id: string;
  kind: string;
}

export interface BookingPolicy {
  slotStepMinutes: number;
  minNoticeMinutes: number;
  horizonDays: number;
}

export interface AvailabilityInput {
  businessModel: BusinessModel;
  timezone: string;
  /** First local date, YYYY-MM-DD, in `timezone`. */
  fromDate: string;
  /** Number of local days, 1…31. */
  days: number;
  /** The current instant (ms); slots before now + minNotice or after now + horizon are dropped. */
  now: number;
  policy: BookingPolicy;
  service: ServiceSpec;
  staff: StaffCandidate[];
  rules: WeeklyRule[];
  exceptions: AvailabilityException[];
  busy: BusyInterval[];
  resources: ResourceSpec[];
}

export interface Slot {
  start: number;
  end: number;
  staffId: string;
  /** Set when the service needs a resource: the first free resource of the needed kind. */
  resourceId?: string;
}
