import { LoginScreen } from "../features/auth/LoginScreen";
import { useSession } from "../features/auth/session";
import { useI18n } from "../i18n/i18n";
import { Workspace } from "./Workspace";

export const App = () => {
  const { session, loading } = useSession();
  const { t } = useI18n();
  if (loading) return <p className="empty">{t("cal.loading")}</p>;
  return session ? <Workspace key={session.user.id} /> : <LoginScreen />;
};
