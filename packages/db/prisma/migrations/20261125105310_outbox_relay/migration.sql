-- Hand-written: the outbox relay (packages/db/src/outbox/relay.ts).
-- (Its claim reads the partial index outbox_events_pending_idx of 20261125031200_booking_guards.)
-- A wake-up for the relays, delivered at the commit of the inserting transaction (once per statement).
CREATE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('askproai_outbox', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_events_notify AFTER INSERT ON "outbox_events" FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify();
