import nodemailer from "nodemailer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call } from "../testing/receiver.js";
import { type SmtpCatcher, startSmtpCatcher } from "./index.js";

let catcher: SmtpCatcher;
beforeEach(async () => {
  catcher = await startSmtpCatcher();
});
afterEach(() => catcher.close());

const mail = {
  from: '"Simple Salon" <termine@simple-salon.example>',
  to: "kundin@example.org",
  bcc: "archiv@simple-salon.example",
  subject: "Ihr Termin am Freitag um 14:00",
  text: "Guten Tag, Ihr Termin ist bestätigt.",
  html: "<p>Guten Tag, Ihr Termin ist <b>bestätigt</b>.</p>",
};

describe("SMTP catcher", () => {
  it("receives a mail sent by nodemailer through SMTP_URL and shows it as JSON and HTML", async () => {
    const transport = nodemailer.createTransport(catcher.url);
    const info = await transport.sendMail(mail);
    expect(info.accepted).toEqual(["kundin@example.org", "archiv@simple-salon.example"]);
    expect(catcher.messages).toHaveLength(1);
    expect(catcher.messages[0]).toMatchObject({
      envelope: { from: "termine@simple-salon.example", to: ["kundin@example.org", "archiv@simple-salon.example"] },
      from: '"Simple Salon" <termine@simple-salon.example>',
      to: "kundin@example.org",
      subject: mail.subject,
      text: `${mail.text}`,
      html: mail.html,
      messageId: info.messageId,
      user: null,
    });
    expect(catcher.messages[0]!.headers).toHaveProperty("subject", mail.subject);

    const json = await call(`${catcher.httpUrl}/__standin/messages`);
    expect(json.body.map((m: any) => m.subject)).toEqual([mail.subject]);
    const page = await fetch(`${catcher.httpUrl}/`);
    expect(await page.text()).toContain("Ihr Termin am Freitag um 14:00");
  });

  it("accepts any login", async () => {
    const url = new URL(catcher.url);
    const transport = nodemailer.createTransport({ host: url.hostname, port: Number(url.port), secure: false, auth: { user: "mailer", pass: "whatever" } });
    await transport.sendMail(mail);
    expect(catcher.messages[0]!.user).toBe("mailer");
  });

  it("refuses mail with a 4xx reply for a number of messages, then accepts again", async () => {
    const transport = nodemailer.createTransport(catcher.url);
    const refused = await call(`${catcher.httpUrl}/__standin/reject`, { body: { code: 421, count: 1 } });
    expect(refused.status).toBe(201);
    await expect(transport.sendMail(mail)).rejects.toMatchObject({ responseCode: 421 });
    expect(catcher.messages).toHaveLength(0);
    await transport.sendMail(mail);
    expect(catcher.messages).toHaveLength(1);
  });

  it("refuses for a time, or until told to accept", async () => {
    const transport = nodemailer.createTransport(catcher.url);
    // a window long enough that a loaded machine still sends the first mail inside it
    const started = Date.now();
    catcher.reject({ code: 451, durationMs: 1_500 });
    await expect(transport.sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 1_600 - Date.now())));
    await transport.sendMail(mail);
    catcher.reject();
    await expect(transport.sendMail(mail)).rejects.toMatchObject({ responseCode: 451 });
    expect((await call(`${catcher.httpUrl}/__standin/reject`, { method: "DELETE" })).status).toBe(204);
    await transport.sendMail(mail);
    expect(catcher.messages).toHaveLength(2);
  });
});
