/**
 * The typed client of the AskProAI API: every procedure, its input and its output typed from the
 * server's `AppRouter` (a type-only import, so no server code reaches a bundle). Browser-safe.
 *
 * Plain JSON as the contract says (no transformer); queries and mutations batched over HTTP (at most
 * 20 calls per batch, the server's limit); subscriptions (`events.onChange`) over server-sent events.
 */
import type { AppRouter } from "@askproai/api";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AskProAIClient = TRPCClient<AppRouter>;
export { TRPCClientError } from "@trpc/client";
export * from "./errors.js";

/** The server answers at most this many calls in one batch. */
export const MAX_BATCH_ITEMS = 20;

type Headers = Record<string, string>;
type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

/** What the `eventsource` package's constructor accepts (the only EventSource that can send headers). */
interface EventSourceWithFetch {
  new (url: string, init?: { fetch?: (url: string | URL, init: { headers: Record<string, string> }) => Promise<Response> }): {
    readonly CLOSED: number;
    readonly CONNECTING: number;
    readonly OPEN: number;
    readyState: number;
    addEventListener(type: string, listener: (event: object) => void): void;
    removeEventListener(type: string, listener: (event: object) => void): void;
    close(): void;
  };
}

export interface AskProAIClientOptions {
  /** The API's base URL (`http://127.0.0.1:3000`) or its tRPC endpoint (`…/trpc`). */
  url: string;
  /** A fixed session token (from `auth.login`). */
  token?: string;
  /** Or a function asked before every request (a token that changes after login/logout). */
  getToken?: TokenSource;
  /** Extra headers on every request (e.g. `x-correlation-id`). */
  headers?: Headers | (() => Headers);
  /** The fetch to use (default: the global one). */
  fetch?: typeof globalThis.fetch;
  /**
   * For subscriptions, the `EventSource` class of the `eventsource` package (`import { EventSource }
   * from "eventsource"`): Node 20 has none, and unlike a browser's own it sends the token as an
   * `Authorization` header. Without it the runtime's EventSource is used and the token travels as a
   * connection parameter in the URL (which the API also accepts).
   */
  EventSource?: EventSourceWithFetch;
  /** Sent as `x-askproai-client` (the desk app sends "desktop"; its bookings are recorded with that source). */
  clientName?: string;
}

/** `…/trpc` whether the caller gave the base URL or the endpoint. */
export const trpcEndpoint = (url: string) => {
  const trimmed = url.replace(/\/+$/, "");
  return trimmed.endsWith("/trpc") ? trimmed : `${trimmed}/trpc`;
};

export const createAskProAIClient = (options: AskProAIClientOptions): AskProAIClient => {
  const url = trpcEndpoint(options.url);
  const tokenOf: TokenSource = options.getToken ?? (() => options.token);
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headersFor = async (): Promise<Headers> => {
    const token = await tokenOf();
    return {
      ...(typeof options.headers === "function" ? options.headers() : options.headers),
      ...(options.clientName ? { "x-askproai-client": options.clientName } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
  };

  const subscriptions = options.EventSource
    ? httpSubscriptionLink({
        url,
        EventSource: options.EventSource,
        // The ponyfill fetches through us, so the token goes in a header, never in the URL.
        eventSourceOptions: async () => {
          const headers = await headersFor();
          return { fetch: (input: string | URL, init: { headers: Record<string, string> }) => fetchImpl(input, { ...init, headers: { ...init.headers, ...headers } } as RequestInit) };
        },
      })
    : httpSubscriptionLink({
        url,
        connectionParams: async () => {
          const token = await tokenOf();
          return token ? { token } : {};
        },
      });

  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: subscriptions,
        false: httpBatchLink({ url, maxItems: MAX_BATCH_ITEMS, headers: headersFor, fetch: fetchImpl }),
      }),
    ],
  });
};
