/**
 * Where an invitation link (`/invite#token=…`) lands: a small page that asks for a password and sends
 * it with the token to `auth.acceptInvite`. The token stays in the fragment (never sent to a server,
 * never in an access log) and is dropped from the address bar once read. No inline script: the page's
 * own policy allows only its script from this origin and calls to this origin.
 */
import type { Express } from "express";

export const INVITE_PATH = "/invite";

const PAGE = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>AskProAI: Einladung annehmen</title>
<script src="${INVITE_PATH}.js" defer></script>
</head>
<body>
<h1>AskProAI</h1>
<p>Legen Sie Ihr Passwort fest, um die Einladung anzunehmen. / Choose your password to accept the invitation.</p>
<form id="accept" hidden>
<p><label>Passwort / password (min. 10) <input type="password" name="password" minlength="10" maxlength="1024" required autocomplete="new-password"></label></p>
<p><label>Wiederholen / repeat <input type="password" name="repeat" minlength="10" maxlength="1024" required autocomplete="new-password"></label></p>
<p><button type="submit">Einladung annehmen / Accept</button></p>
</form>
<p id="status" role="status">Diese Seite braucht JavaScript. / This page needs JavaScript.</p>
</body>
</html>
`;

const SCRIPT = `"use strict";
(function () {
  var status = document.getElementById("status");
  var form = document.getElementById("accept");
  var match = /(?:^#|&)token=([A-Za-z0-9_-]{20,200})/.exec(location.hash);
  if (!match) { status.textContent = "Dieser Link ist unvollständig. / This link is incomplete."; return; }
  var token = match[1];
  history.replaceState(null, "", location.pathname);
  status.textContent = "";
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var password = form.elements.password.value;
    if (password !== form.elements.repeat.value) { status.textContent = "Die Passwörter stimmen nicht überein. / The passwords differ."; return; }
    form.querySelector("button").disabled = true;
    fetch("/trpc/auth.acceptInvite", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: token, password: password }) })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        if (body.result) {
          form.hidden = true;
          status.textContent = "Willkommen, " + body.result.data.user.name + "! Ihr Passwort ist gesetzt: melden Sie sich jetzt in der AskProAI-App an. / Your password is set: log in with the AskProAI app.";
        } else {
          form.querySelector("button").disabled = false;
          status.textContent = (body.error && body.error.message) || "Das hat nicht geklappt. / That did not work.";
        }
      })
      .catch(function () { form.querySelector("button").disabled = false; status.textContent = "Keine Verbindung. / No connection."; });
  });
})();
`;

const PAGE_POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export const mountInvitePage = (app: Express) => {
  app.get(INVITE_PATH, (_req, res) => {
    res.setHeader("content-security-policy", PAGE_POLICY);
    res.type("html").send(PAGE);
  });
  app.get(`${INVITE_PATH}.js`, (_req, res) => {
    res.type("application/javascript").send(SCRIPT);
  });
};
