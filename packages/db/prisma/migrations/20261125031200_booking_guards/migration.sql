-- Hand-written: what schema.prisma cannot express. The database itself makes double booking impossible.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- An appointment blocks its staff member (and room) from start - buffer_before to end + buffer_after.
-- Computed here, not by the application, so no caller can get it wrong.
CREATE FUNCTION appointments_set_blocked_range() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.blocked_from := NEW.starts_at - make_interval(mins => NEW.buffer_before_minutes);
  NEW.blocked_until := NEW.ends_at + make_interval(mins => NEW.buffer_after_minutes);
  RETURN NEW;
END;
$$;

CREATE TRIGGER appointments_blocked_range
  BEFORE INSERT OR UPDATE OF starts_at, ends_at, buffer_before_minutes, buffer_after_minutes, blocked_from, blocked_until
  ON appointments
  FOR EACH ROW EXECUTE FUNCTION appointments_set_blocked_range();

ALTER TABLE appointments
  ALTER COLUMN blocked_from SET NOT NULL,
  ALTER COLUMN blocked_until SET NOT NULL,
  ADD CONSTRAINT appointments_ends_after_start CHECK (ends_at > starts_at),
  ADD CONSTRAINT appointments_buffers_non_negative CHECK (buffer_before_minutes >= 0 AND buffer_after_minutes >= 0),
  ADD CONSTRAINT appointments_version_positive CHECK (version >= 1);

-- The last guard behind every application lock: no two active appointments of one staff member, or of
-- one resource, overlap (buffers included). Cancelled and failed appointments do not block.
ALTER TABLE appointments
  ADD CONSTRAINT appointments_no_staff_overlap EXCLUDE USING gist (
    staff_id WITH =,
    tstzrange(blocked_from, blocked_until, '[)') WITH &&
  ) WHERE (status NOT IN ('cancelled', 'failed'));

ALTER TABLE appointments
  ADD CONSTRAINT appointments_no_resource_overlap EXCLUDE USING gist (
    resource_id WITH =,
    tstzrange(blocked_from, blocked_until, '[)') WITH &&
  ) WHERE (resource_id IS NOT NULL AND status NOT IN ('cancelled', 'failed'));

-- Tenant consistency: an appointment can only reference rows of its own company.
ALTER TABLE branches ADD CONSTRAINT branches_id_company_key UNIQUE (id, company_id);
ALTER TABLE staff ADD CONSTRAINT staff_id_company_key UNIQUE (id, company_id);
ALTER TABLE services ADD CONSTRAINT services_id_company_key UNIQUE (id, company_id);
ALTER TABLE customers ADD CONSTRAINT customers_id_company_key UNIQUE (id, company_id);
ALTER TABLE resources ADD CONSTRAINT resources_id_company_key UNIQUE (id, company_id);

ALTER TABLE appointments
  ADD CONSTRAINT appointments_branch_same_company FOREIGN KEY (branch_id, company_id) REFERENCES branches (id, company_id),
  ADD CONSTRAINT appointments_staff_same_company FOREIGN KEY (staff_id, company_id) REFERENCES staff (id, company_id),
  ADD CONSTRAINT appointments_service_same_company FOREIGN KEY (service_id, company_id) REFERENCES services (id, company_id),
  ADD CONSTRAINT appointments_customer_same_company FOREIGN KEY (customer_id, company_id) REFERENCES customers (id, company_id),
  ADD CONSTRAINT appointments_resource_same_company FOREIGN KEY (resource_id, company_id) REFERENCES resources (id, company_id);

ALTER TABLE appointment_locks
  ADD CONSTRAINT appointment_locks_staff_same_company FOREIGN KEY (staff_id, company_id) REFERENCES staff (id, company_id),
  ADD CONSTRAINT appointment_locks_ends_after_start CHECK (ends_at > starts_at);

ALTER TABLE availability_rules
  ADD CONSTRAINT availability_rules_weekday CHECK (weekday BETWEEN 1 AND 7),
  ADD CONSTRAINT availability_rules_minutes CHECK (start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute);

ALTER TABLE availability_exceptions
  ADD CONSTRAINT availability_exceptions_ends_after_start CHECK (ends_at > starts_at);

ALTER TABLE services
  ADD CONSTRAINT services_duration_positive CHECK (duration_minutes > 0),
  ADD CONSTRAINT services_buffers_non_negative CHECK (buffer_before_minutes >= 0 AND buffer_after_minutes >= 0),
  ADD CONSTRAINT services_price_non_negative CHECK (price_minor >= 0);

ALTER TABLE companies
  ADD CONSTRAINT companies_policy CHECK (min_notice_minutes >= 0 AND horizon_days > 0 AND slot_step_minutes > 0);

-- Listing outstanding outbox rows and unprocessed webhooks stays cheap as the tables grow.
CREATE INDEX outbox_events_pending_idx ON outbox_events (available_at) WHERE dispatched_at IS NULL;
CREATE INDEX webhook_events_unprocessed_idx ON webhook_events (received_at) WHERE processed_at IS NULL;
