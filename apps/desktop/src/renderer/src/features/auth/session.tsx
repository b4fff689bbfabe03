/**
 * The signed-in user. The session lives in the host (Electron: encrypted in main; browser: storage),
 * so a reload or an outage keeps the desk signed in; logging in needs the API.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { StoredSession } from "../../../../shared/bridge";
import { useDesk } from "../../app/DeskContext";

interface SessionState {
  session: StoredSession | null;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const desk = useDesk();
  const [session, setSession] = useState<StoredSession | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let active = true;
    void desk.bridge.session.get().then((stored) => {
      if (!active) return;
      desk.session.current = stored;
      setSession(stored);
      setLoading(false);
    });
    return () => {
      active = false;
    };
  }, [desk]);

  const forget = useCallback(async () => {
    desk.session.current = null;
    setSession(null);
    await desk.bridge.session.clear();
    desk.queryClient.clear();
    await desk.persister.removeClient();
  }, [desk]);

  useEffect(() => {
    desk.onSessionExpired.current = () => void forget();
  }, [desk, forget]);

  const login = useCallback(
    async (email: string, password: string) => {
      const result = await desk.api.auth.login.mutate({ email, password });
      const stored: StoredSession = { token: result.token, user: result.user, expiresAt: result.expiresAt };
      await desk.bridge.session.set(stored);
      desk.session.current = stored;
      setSession(stored);
    },
    [desk],
  );

  const logout = useCallback(async () => {
    await desk.api.auth.logout.mutate().catch(() => undefined);
    await forget();
  }, [desk, forget]);

  const value = useMemo(() => ({ session, loading, login, logout }), [session, loading, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
};

export const useSession = () => {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
};

/** The signed-in session (only inside the workspace, where there is one). */
export const useSignedIn = (): StoredSession => {
  const { session } = useSession();
  if (!session) throw new Error("no session");
  return session;
};
