/** Unexpected failures of a booking are kept as `failed` appointments (the debug view's timeline reads them). */
import type { CreateAppointmentInput } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import { classifyDbError } from "../errors.js";
import { writeOutboxAndAudit } from "../outbox/write.js";

export const describeFailure = (error: unknown) => {
  const failure = classifyDbError(error);
  if (failure.kind === "unavailable") return "database unavailable";
  const message = error instanceof Error ? error.message : String(error);
  // First line only: driver messages can carry query text.
  return message.split("\n").find((l) => l.trim())?.slice(0, 500) ?? "unknown error";
};

export const recordFailure = async (ctx: OperationContext, input: CreateAppointmentInput, staffId: string, error: unknown) => {
  try {
    const reason = describeFailure(error);
    await ctx.sql.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: string }>({
        text: `
          WITH cust AS (
            INSERT INTO customers (id, company_id, phone, name, email, created_at, updated_at)
            VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, now(), now())
            ON CONFLICT (company_id, phone) DO UPDATE SET updated_at = customers.updated_at
            RETURNING id
          )
          INSERT INTO appointments (id, company_id, branch_id, staff_id, service_id, customer_id, starts_at, ends_at, status, source,
            correlation_id, failure_reason, notes, version, created_at, updated_at)
          SELECT gen_random_uuid(), $1::uuid, $5::uuid, $6::uuid, s.id, cust.id, $7::timestamptz,
            $7::timestamptz + make_interval(mins => s.duration_minutes), 'failed', $8::appointment_source, $9, $10, $11, 1, now(), now()
          FROM cust, services s WHERE s.id = $12::uuid AND s.company_id = $1::uuid
          RETURNING id`,
        values: [
          ctx.companyId, input.customer.phone, input.customer.name, input.customer.email ?? null, input.branchId, staffId,
          new Date(input.start), ctx.source, ctx.correlationId, reason, input.notes ?? null, input.serviceId,
        ],
      });
      const failed = rows[0];
      if (failed) await writeOutboxAndAudit(tx, ctx, { appointmentId: failed.id, events: [], action: "failed", changes: { reason } });
    });
  } catch (recordError) {
    ctx.log.error({ err: recordError }, "could not record failed booking");
  }
};
