/** tRPC over plain HTTP, as the bench's load generator speaks it. */
import type { Sample } from "../load.js";

export interface TrpcError {
  message: string;
  data?: { code?: string; httpStatus?: number; [k: string]: unknown };
}

export const parse = (body: string | undefined): { result?: { data: unknown }; error?: TrpcError } => {
  try {
    return JSON.parse(body ?? "") as { result?: { data: unknown }; error?: TrpcError };
  } catch {
    return {};
  }
};

export const errorCode = (sample: Sample) => (sample.status === 0 ? `network: ${sample.error}` : (parse(sample.body).error?.data?.code ?? `HTTP ${sample.status}`));

export const queryPath = (path: string, input: unknown) => `/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;

export const isMissingProcedure = (sample: Sample) => sample.status === 404 && /procedure/i.test(parse(sample.body).error?.message ?? "");
