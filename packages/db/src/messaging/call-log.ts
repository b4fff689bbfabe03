/** Every call to the SMS gateway or the mail server, in `api_call_logs` (already redacted by the clients), with the message id. */
import type { OperationContext } from "../context.js";
import { writeOutsideCall, type OutsideCall } from "../ops/outside-calls.js";

export const logOutsideCall = (ctx: Pick<OperationContext, "companyId" | "correlationId" | "sql" | "log">, call: OutsideCall, messageId: string) =>
  writeOutsideCall(ctx, { ...call, requestBody: { messageId, ...call.requestBody } });
