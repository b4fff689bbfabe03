/**
 * The stand-in's Cal.com bookings in memory, in the API v2 (2024-08-13) output shape. Each API key is one
 * Cal.com user: its bookings are the ones it lists, cancels and reschedules.
 */
import { randomBytes } from "node:crypto";
import type { CreateBookingInput, ListBookingsQuery } from "./input.js";

export interface CalcomHost {
  id: number;
  name: string;
  email: string;
  displayEmail: string;
  username: string;
  timeZone: string;
}

export interface CalcomAttendee {
  name: string;
  email: string;
  displayEmail: string;
  timeZone: string;
  language: string;
  absent: boolean;
  phoneNumber?: string;
}

export type CalcomBookingStatus = "accepted" | "pending" | "cancelled" | "rejected";

export interface CalcomBooking {
  id: number;
  uid: string;
  title: string;
  description: string;
  hosts: CalcomHost[];
  status: CalcomBookingStatus;
  cancellationReason?: string;
  cancelledByEmail?: string;
  reschedulingReason?: string;
  rescheduledByEmail?: string;
  rescheduledFromUid?: string;
  rescheduledToUid?: string;
  start: string;
  end: string;
  duration: number;
  eventTypeId: number;
  eventType: { id: number; slug: string };
  location: string | null;
  absentHost: boolean;
  createdAt: string;
  updatedAt: string;
  metadata: Record<string, string | number | boolean>;
  icsUid: string;
  attendees: CalcomAttendee[];
  guests: string[];
  bookingFieldsResponses: Record<string, unknown>;
}

/** Where a booking came from: through the API, or made "directly in Cal.com" by the test or a person. */
export type BookingOrigin = "api" | "direct";

export interface StoredBooking {
  booking: CalcomBooking;
  apiKey: string;
  origin: BookingOrigin;
}

export class CalcomError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Cal.com uids are short random strings (22 characters, base58-like). */
const newUid = (): string => randomBytes(16).toString("base64url").replace(/[-_]/g, "x").slice(0, 22);

export interface BookingStoreOptions {
  /** eventTypeId → duration in minutes; others last `defaultDurationMinutes`. */
  eventTypes: Record<number, number>;
  defaultDurationMinutes: number;
  /** Unknown event type ids answer 404 instead of lasting the default. */
  knownEventTypesOnly: boolean;
  /** Refuse an overlapping booking of the same user and event type (400) and an exact duplicate (409). */
  rejectOverlaps: boolean;
  allowPast: boolean;
  now(): number;
}

export class BookingStore {
  private readonly byUid = new Map<string, StoredBooking>();
  private nextId = 1;
  private readonly users = new Map<string, CalcomHost>();

  constructor(private readonly options: BookingStoreOptions) {}

  /** The Cal.com user behind an API key (made up on first use, stable for the stand-in's lifetime). */
  userFor(apiKey: string): CalcomHost {
    let user = this.users.get(apiKey);
    if (!user) {
      const n = this.users.size + 1;
      user = { id: 1000 + n, name: `Stand-in User ${n}`, email: `user${n}@calcom.standin`, displayEmail: `user${n}@calcom.standin`, username: `user${n}`, timeZone: "Europe/Berlin" };
      this.users.set(apiKey, user);
    }
    return user;
  }

  /** `hostUserId`: whose calendar it lands in (a team member's); default the key's own user. */
  create(apiKey: string, input: CreateBookingInput, origin: BookingOrigin, ignoreUid?: string, hostUserId?: number): StoredBooking {
    const minutes = input.lengthInMinutes ?? this.durationOf(input.eventTypeId);
    const startMs = Date.parse(input.start);
    if (!this.options.allowPast && startMs < this.options.now()) throw new CalcomError(400, "Attempting to book a meeting in the past.");
    const endMs = startMs + minutes * 60_000;
    if (this.options.rejectOverlaps) this.assertFree(apiKey, input.eventTypeId, startMs, endMs, ignoreUid);
    const own = this.userFor(apiKey);
    const host = hostUserId === undefined || hostUserId === own.id ? own : { ...own, id: hostUserId, name: `Stand-in User ${hostUserId}`, username: `user${hostUserId}`, email: `user${hostUserId}@calcom.standin`, displayEmail: `user${hostUserId}@calcom.standin` };
    const now = new Date(this.options.now()).toISOString();
    const { attendee } = input;
    const email = attendee.email ?? "";
    const booking: CalcomBooking = {
      id: this.nextId++,
      uid: newUid(),
      title: `Event type ${input.eventTypeId} between ${host.name} and ${attendee.name}`,
      description: "",
      hosts: [host],
      status: "accepted",
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      duration: minutes,
      eventTypeId: input.eventTypeId,
      eventType: { id: input.eventTypeId, slug: `event-type-${input.eventTypeId}` },
      location: null,
      absentHost: false,
      createdAt: now,
      updatedAt: now,
      metadata: { ...input.metadata },
      icsUid: `${newUid()}@Cal.com`,
      attendees: [
        {
          name: attendee.name,
          email,
          displayEmail: email,
          timeZone: attendee.timeZone,
          language: attendee.language ?? "en",
          absent: false,
          ...(attendee.phoneNumber ? { phoneNumber: attendee.phoneNumber } : {}),
        },
      ],
      guests: input.guests ?? [],
      bookingFieldsResponses: {
        name: attendee.name,
        ...(attendee.email ? { email: attendee.email } : {}),
        ...(attendee.phoneNumber ? { attendeePhoneNumber: attendee.phoneNumber } : {}),
        ...input.bookingFieldsResponses,
      },
    };
    const stored: StoredBooking = { booking, apiKey, origin };
    this.byUid.set(booking.uid, stored);
    return stored;
  }

  /** A booking of that user (others' bookings do not exist for it, as in Cal.com). */
  get(uid: string, apiKey?: string): StoredBooking {
    const stored = this.byUid.get(uid);
    if (!stored || (apiKey !== undefined && stored.apiKey !== apiKey)) throw new CalcomError(404, `Booking with uid=${uid} was not found in the database`);
    return stored;
  }

  cancel(uid: string, apiKey: string | undefined, reason: string | undefined): StoredBooking {
    const stored = this.get(uid, apiKey);
    if (stored.booking.status === "cancelled") throw new CalcomError(400, "This booking has already been cancelled.");
    Object.assign(stored.booking, {
      status: "cancelled",
      updatedAt: new Date(this.options.now()).toISOString(),
      ...(reason !== undefined ? { cancellationReason: reason } : {}),
      cancelledByEmail: stored.booking.hosts[0]?.email,
    });
    return stored;
  }

  /** Cal.com makes a new booking with a new uid and cancels the old one, linking both ways. */
  reschedule(uid: string, apiKey: string | undefined, start: string, reason: string | undefined, origin: BookingOrigin): { from: StoredBooking; to: StoredBooking } {
    const from = this.get(uid, apiKey);
    const old = from.booking;
    if (old.status === "cancelled" || old.status === "rejected") throw new CalcomError(400, `Can't reschedule a ${old.status} booking.`);
    const attendee = old.attendees[0]!;
    const to = this.create(
      from.apiKey,
      {
        start,
        eventTypeId: old.eventTypeId,
        lengthInMinutes: old.duration,
        attendee: { name: attendee.name, timeZone: attendee.timeZone, language: attendee.language, ...(attendee.email ? { email: attendee.email } : {}), ...(attendee.phoneNumber ? { phoneNumber: attendee.phoneNumber } : {}) },
        metadata: old.metadata,
        guests: old.guests,
      },
      origin,
      old.uid,
      old.hosts[0]?.id,
    );
    Object.assign(to.booking, { rescheduledFromUid: old.uid, ...(reason !== undefined ? { reschedulingReason: reason } : {}) });
    Object.assign(old, { status: "cancelled", rescheduledToUid: to.booking.uid, updatedAt: to.booking.createdAt, ...(reason !== undefined ? { reschedulingReason: reason } : {}) });
    return { from, to };
  }

  list(apiKey: string, query: ListBookingsQuery): { items: CalcomBooking[]; total: number } {
    const now = this.options.now();
    const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
    const [afterStart, beforeEnd, afterCreated, beforeCreated, afterUpdated, beforeUpdated] = [
      query.afterStart, query.beforeEnd, query.afterCreatedAt, query.beforeCreatedAt, query.afterUpdatedAt, query.beforeUpdatedAt,
    ].map(ms);
    const eventTypeIds = [...(query.eventTypeIds ?? []), ...(query.eventTypeId ? [query.eventTypeId] : [])];
    const matchesStatus = (b: CalcomBooking): boolean => {
      if (!query.status?.length) return true;
      const ended = Date.parse(b.end) < now;
      const live = b.status === "accepted" || b.status === "pending";
      return query.status.some(
        (s) =>
          (s === "upcoming" && live && !ended) ||
          (s === "past" && live && ended) ||
          (s === "cancelled" && (b.status === "cancelled" || b.status === "rejected")) ||
          (s === "unconfirmed" && b.status === "pending" && !ended),
      );
    };
    const within = (value: string, after: number | undefined, before: number | undefined) =>
      (after === undefined || Date.parse(value) >= after) && (before === undefined || Date.parse(value) <= before);
    const all = [...this.byUid.values()]
      .filter((s) => s.apiKey === apiKey)
      .map((s) => s.booking)
      .filter(
        (b) =>
          matchesStatus(b) &&
          (afterStart === undefined || Date.parse(b.start) >= afterStart) &&
          (beforeEnd === undefined || Date.parse(b.end) <= beforeEnd) &&
          within(b.createdAt, afterCreated, beforeCreated) &&
          within(b.updatedAt, afterUpdated, beforeUpdated) &&
          (!eventTypeIds.length || eventTypeIds.includes(b.eventTypeId)) &&
          (!query.attendeeEmail || b.attendees.some((a) => a.email === query.attendeeEmail)) &&
          (!query.attendeeName || b.attendees.some((a) => a.name.toLowerCase().includes(query.attendeeName!.toLowerCase()))),
      );
    const [field, order] = query.sortEnd ? (["end", query.sortEnd] as const) : query.sortCreated ? (["createdAt", query.sortCreated] as const) : (["start", query.sortStart ?? "asc"] as const);
    all.sort((a, b) => (Date.parse(a[field]) - Date.parse(b[field]) || a.id - b.id) * (order === "asc" ? 1 : -1));
    return { items: all.slice(query.skip, query.skip + query.take), total: all.length };
  }

  all(): StoredBooking[] {
    return [...this.byUid.values()];
  }

  clear(): void {
    this.byUid.clear();
  }

  private durationOf(eventTypeId: number): number {
    const minutes = this.options.eventTypes[eventTypeId];
    if (minutes !== undefined) return minutes;
    if (this.options.knownEventTypesOnly) throw new CalcomError(404, `Event type with id=${eventTypeId} not found`);
    return this.options.defaultDurationMinutes;
  }

  private assertFree(apiKey: string, eventTypeId: number, startMs: number, endMs: number, ignoreUid?: string): void {
    for (const { booking: b, apiKey: owner } of this.byUid.values()) {
      if (owner !== apiKey || b.eventTypeId !== eventTypeId || b.status !== "accepted" || b.uid === ignoreUid) continue;
      const [s, e] = [Date.parse(b.start), Date.parse(b.end)];
      if (s === startMs && e === endMs) throw new CalcomError(409, "Trying to create a record that already exists");
      if (s < endMs && startMs < e) throw new CalcomError(400, "User either already has booking at this time or is not available");
    }
  }
}
