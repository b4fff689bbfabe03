import { errorCodeOf, isUnreachable } from "@askproai/client";
import { useState, type FormEvent } from "react";
import { useI18n } from "../../i18n/i18n";
import { useSession } from "./session";

export const LoginScreen = () => {
  const { t, toggleLanguage } = useI18n();
  const { login } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (e) {
      setError(isUnreachable(e) ? t("login.offline") : errorCodeOf(e) === "TOO_MANY_REQUESTS" ? t("login.tooMany") : t("login.failed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span className="brand-mark" aria-hidden="true">◆</span> {t("appTitle")}
        </h1>
        <h2>{t("login.title")}</h2>
        <label>
          {t("login.email")}
          <input type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t("login.password")}
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p role="alert" className="form-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
        <button type="button" className="link" onClick={toggleLanguage} aria-label={t("languageLabel")}>
          {t("language")}
        </button>
      </form>
    </main>
  );
};
