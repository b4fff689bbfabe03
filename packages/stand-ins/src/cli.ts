/**
 * `node --import tsx packages/stand-ins/src/cli.ts [--json] [--ports=<base>]`: starts every stand-in and
 * prints where they are (with `--json`, one JSON line of the environment variables, for scripts). With
 * `--ports=4010` they listen on fixed ports: Cal.com 4010, SMS 4011, SMTP 4012 (its HTTP side 4013),
 * Stripe 4014; otherwise on free ones. Ctrl-C or SIGTERM stops them.
 */
import { startStandIns } from "./start.js";

const args = process.argv.slice(2);
const json = args.includes("--json");
const base = Number(args.find((a) => a.startsWith("--ports="))?.slice("--ports=".length) ?? 0);
if (!Number.isInteger(base) || base < 0 || base > 65_530) {
  console.error("--ports must be a port number (the first of five consecutive ports)");
  process.exit(2);
}
const port = (offset: number) => (base ? base + offset : 0);

const standIns = await startStandIns({
  calcom: { port: port(0) },
  sms: { port: port(1) },
  smtp: { smtpPort: port(2), port: port(3) },
  stripe: { port: port(4) },
});
if (json) console.log(JSON.stringify({ ...standIns.env, SMTP_HTTP_URL: standIns.smtp?.httpUrl }));
else for (const line of ["Stand-ins for outside services (development only):", ...standIns.describe()]) console.log(line);

const stop = () => {
  standIns.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop).once("SIGTERM", stop);
