/**
 * Cal.com's booking webhooks as its `sendPayload` sends them (payload version 2021-10-20): one POST per
 * subscriber, body `{ triggerEvent, createdAt, payload }`, signed `x-cal-signature-256`, never retried.
 */
import { signCalcom } from "../signing.js";
import { pushBounded } from "../server.js";
import type { CalcomBooking } from "./bookings.js";

export type CalcomTrigger = "BOOKING_CREATED" | "BOOKING_RESCHEDULED" | "BOOKING_CANCELLED";

export interface WebhookSubscriber {
  id: number;
  url: string;
  /** Without a secret Cal.com sends the literal `no-secret-provided` as the signature. */
  secret?: string;
  /** Only bookings of this API key's user; all users when absent. */
  apiKey?: string;
}

export interface WebhookDelivery {
  at: string;
  subscriberId: number;
  url: string;
  triggerEvent: CalcomTrigger;
  uid: string;
  body: string;
  signature: string;
  /** HTTP status of the subscriber's answer; absent when it could not be reached (see `error`). */
  status?: number;
  error?: string;
  /** True when the delivery was suppressed on purpose (a lost webhook): nothing was sent. */
  lost?: boolean;
}

const utcOffset = (zone: string, at: Date): number => {
  const local = new Date(at.toLocaleString("en-US", { timeZone: zone }));
  const utc = new Date(at.toLocaleString("en-US", { timeZone: "UTC" }));
  return Math.round((local.getTime() - utc.getTime()) / 60_000);
};

export interface PayloadExtras {
  /** For BOOKING_RESCHEDULED: the booking it replaced. */
  rescheduledFrom?: CalcomBooking;
}

export const buildWebhookPayload = (trigger: CalcomTrigger, booking: CalcomBooking, createdAt: Date, extras: PayloadExtras = {}) => {
  const host = booking.hosts[0]!;
  const start = new Date(booking.start);
  const status = trigger === "BOOKING_CANCELLED" ? "CANCELLED" : booking.status.toUpperCase();
  const payload: Record<string, unknown> = {
    type: booking.eventType.slug,
    title: booking.title,
    description: booking.description,
    additionalNotes: "",
    customInputs: {},
    startTime: booking.start,
    endTime: booking.end,
    organizer: {
      id: host.id,
      name: host.name,
      email: host.email,
      username: host.username,
      timeZone: host.timeZone,
      language: { locale: "en" },
      timeFormat: "h:mma",
      utcOffset: utcOffset(host.timeZone, start),
    },
    responses: Object.fromEntries(Object.entries(booking.bookingFieldsResponses).map(([key, value]) => [key, { label: key, value }])),
    userFieldsResponses: {},
    attendees: booking.attendees.map((a) => {
      const [firstName = "", ...rest] = a.name.split(" ");
      return {
        email: a.email,
        name: a.name,
        firstName,
        lastName: rest.join(" "),
        timeZone: a.timeZone,
        phoneNumber: a.phoneNumber ?? null,
        language: { locale: a.language },
        utcOffset: utcOffset(a.timeZone, start),
      };
    }),
    location: booking.location ?? "",
    destinationCalendar: null,
    hideCalendarNotes: false,
    requiresConfirmation: false,
    eventTypeId: booking.eventTypeId,
    seatsShowAttendees: true,
    seatsPerTimeSlot: null,
    uid: booking.uid,
    iCalUID: booking.icsUid,
    iCalSequence: trigger === "BOOKING_CREATED" ? 0 : 1,
    eventTitle: `Event type ${booking.eventTypeId}`,
    eventDescription: null,
    price: 0,
    currency: "usd",
    length: booking.duration,
    bookingId: booking.id,
    metadata: { ...booking.metadata, videoCallUrl: null },
    status,
  };
  if (trigger === "BOOKING_RESCHEDULED" && extras.rescheduledFrom) {
    const from = extras.rescheduledFrom;
    Object.assign(payload, {
      rescheduleId: from.id,
      rescheduleUid: from.uid,
      rescheduleStartTime: from.start,
      rescheduleEndTime: from.end,
      rescheduledBy: host.email,
    });
  }
  if (trigger === "BOOKING_CANCELLED") {
    Object.assign(payload, { cancellationReason: booking.cancellationReason ?? null, cancelledBy: booking.cancelledByEmail ?? host.email, requestReschedule: false });
  }
  return { triggerEvent: trigger, createdAt: createdAt.toISOString(), payload };
};

export class WebhookSender {
  readonly subscribers: WebhookSubscriber[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  private nextId = 1;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly now: () => number) {}

  subscribe(subscriber: Omit<WebhookSubscriber, "id">): WebhookSubscriber {
    const added = { ...subscriber, id: this.nextId++ };
    this.subscribers.push(added);
    return added;
  }

  unsubscribeAll(): void {
    this.subscribers.length = 0;
  }

  /** Sends to every matching subscriber once (Cal.com does not retry); `lost` records without sending. */
  async send(trigger: CalcomTrigger, booking: CalcomBooking, apiKey: string, options: PayloadExtras & { lost?: boolean } = {}): Promise<WebhookDelivery[]> {
    const targets = this.subscribers.filter((s) => s.apiKey === undefined || s.apiKey === apiKey);
    const task = Promise.all(targets.map((subscriber) => this.deliver(subscriber, trigger, booking, options)));
    this.inFlight.add(task);
    try {
      return await task;
    } finally {
      this.inFlight.delete(task);
    }
  }

  /** Resolves once every delivery started so far has been answered or has failed. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(subscriber: WebhookSubscriber, trigger: CalcomTrigger, booking: CalcomBooking, options: PayloadExtras & { lost?: boolean }): Promise<WebhookDelivery> {
    const body = JSON.stringify(buildWebhookPayload(trigger, booking, new Date(this.now()), options));
    const signature = subscriber.secret ? signCalcom(body, subscriber.secret) : "no-secret-provided";
    const delivery: WebhookDelivery = { at: new Date(this.now()).toISOString(), subscriberId: subscriber.id, url: subscriber.url, triggerEvent: trigger, uid: booking.uid, body, signature };
    pushBounded(this.deliveries, delivery);
    if (options.lost) {
      delivery.lost = true;
      return delivery;
    }
    try {
      const response = await fetch(subscriber.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-cal-signature-256": signature, "x-cal-webhook-version": "2021-10-20" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(10_000),
      });
      delivery.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      delivery.error = (error as Error).message;
    }
    return delivery;
  }
}
