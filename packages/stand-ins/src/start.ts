/**
 * `startStandIns`: starts the chosen stand-ins (all of them when called without options) and says which
 * environment variable points where, for `npm start` outside production and for manual testing.
 */
import { type CalcomStandIn, type CalcomStandInOptions, DEMO_CALCOM_API_KEY, startCalcomStandIn } from "./calcom/index.js";
import { type SmsStandIn, type SmsStandInOptions, startSmsStandIn } from "./sms/index.js";
import { type SmtpCatcher, type SmtpCatcherOptions, startSmtpCatcher } from "./smtp/index.js";
import { type StripeStandIn, type StripeStandInOptions, startStripeStandIn } from "./stripe/index.js";

export interface StandInsOptions {
  calcom?: boolean | CalcomStandInOptions;
  sms?: boolean | SmsStandInOptions;
  smtp?: boolean | SmtpCatcherOptions;
  stripe?: boolean | StripeStandInOptions;
}

export interface StandIns {
  calcom?: CalcomStandIn;
  sms?: SmsStandIn;
  smtp?: SmtpCatcher;
  stripe?: StripeStandIn;
  /** The configuration variables that point the API and worker at the started stand-ins. */
  env: { CALCOM_API_URL?: string; SMS_API_URL?: string; SMTP_URL?: string; STRIPE_API_URL?: string };
  /** One line per stand-in: what it is, where, and where a human sees what it received. */
  describe(): string[];
  close(): Promise<void>;
}

const chosen = <T extends object>(option: boolean | T | undefined, all: boolean): T | undefined =>
  option === true || (option === undefined && all) ? ({} as T) : option === false || option === undefined ? undefined : option;

export const startStandIns = async (options: StandInsOptions = {}): Promise<StandIns> => {
  const all = Object.keys(options).length === 0;
  const started: StandIns = { env: {}, describe: () => [], close: async () => undefined };
  const closers: (() => Promise<void>)[] = [];
  // One after another: each stand-in that started is closed again when a later one fails to start.
  const launch = async <K extends "calcom" | "sms" | "smtp" | "stripe", O extends object, H extends { url: string; close(): Promise<void> }>(
    key: K,
    starter: (o: O) => Promise<H>,
    variable: keyof StandIns["env"],
  ) => {
    const option = chosen(options[key] as boolean | O | undefined, all);
    if (!option) return;
    const handle = await starter(option);
    closers.push(() => handle.close());
    (started as unknown as Record<K, H>)[key] = handle;
    started.env[variable] = handle.url;
  };
  try {
    await launch("calcom", startCalcomStandIn, "CALCOM_API_URL");
    await launch("sms", startSmsStandIn, "SMS_API_URL");
    await launch("smtp", startSmtpCatcher, "SMTP_URL");
    await launch("stripe", startStripeStandIn, "STRIPE_API_URL");
  } catch (error) {
    await Promise.allSettled(closers.map((close) => close()));
    throw error;
  }
  started.close = async () => {
    await Promise.all(closers.map((close) => close()));
  };
  started.describe = () => [
    ...(started.calcom ? [`Cal.com stand-in   ${started.calcom.url}  (API key ${DEMO_CALCOM_API_KEY}; bookings: ${started.calcom.url}/__standin/bookings)`] : []),
    ...(started.sms ? [`SMS stand-in       ${started.sms.url}  (messages: ${started.sms.url}/)`] : []),
    ...(started.smtp ? [`SMTP catcher       ${started.smtp.url}  (mails: ${started.smtp.httpUrl}/)`] : []),
    ...(started.stripe ? [`Stripe stand-in    ${started.stripe.url}  (any sk_test_… key)`] : []),
  ];
  return started;
};
