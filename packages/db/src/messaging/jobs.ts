/**
 * The messaging queue's names and the delivery job, shared by the worker (which runs them) and the API
 * (which queues the delivery of a message planned in a request, e.g. a waitlist "it is gone" answer).
 * Job ids are derived from the message: a message queued twice is one job.
 */
export const MESSAGING_QUEUE = "messaging";
export const NOTIFICATION_JOB = "notification.send";
export const DELIVER_JOB = "message.deliver";

export interface DeliveryRef {
  companyId: string;
  messageId: string;
  correlationId?: string;
}

export const deliveryJobs = (messages: DeliveryRef[]) =>
  messages.map((m) => ({
    name: DELIVER_JOB,
    data: { companyId: m.companyId, messageId: m.messageId, correlationId: m.correlationId },
    // Removed once done, so the same message can be queued again when its quiet hours are over.
    opts: { jobId: `deliver-${m.messageId}`, removeOnComplete: true },
  }));
