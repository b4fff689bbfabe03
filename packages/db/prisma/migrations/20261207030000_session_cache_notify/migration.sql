-- Hand-written: every process's session cache (packages/db/src/auth/session-cache.ts) empties itself
-- when a session, its user or its company changes in a way authentication reads: delivered at the
-- commit of the changing transaction, once per statement. (last_used_at and last_login_at writes do
-- not notify: they are not in the column lists.)
CREATE FUNCTION askproai_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('askproai_auth', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_auth_changed AFTER UPDATE OF revoked_at, expires_at, token_hash, user_id, company_id OR DELETE ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION askproai_auth_changed();
CREATE TRIGGER users_auth_changed AFTER UPDATE OF is_active, role, name, company_id OR DELETE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION askproai_auth_changed();
CREATE TRIGGER companies_auth_changed AFTER UPDATE OF suspended_at OR DELETE ON "companies"
  FOR EACH STATEMENT EXECUTE FUNCTION askproai_auth_changed();
