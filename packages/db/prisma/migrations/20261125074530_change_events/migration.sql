-- CreateTable
CREATE TABLE "change_events" (
    "id" UUID NOT NULL,
    "seq" BIGINT,
    "company_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "appointment_id" UUID NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "change_events_seq_key" ON "change_events"("seq");

-- CreateIndex
CREATE INDEX "change_events_company_id_seq_idx" ON "change_events"("company_id", "seq");

-- AddForeignKey
ALTER TABLE "change_events" ADD CONSTRAINT "change_events_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the sequence that numbers changes in commit order, the index of the sequencer's work,
-- and a wake-up for the processes that serve live subscribers (delivered at commit).
CREATE SEQUENCE "change_events_seq";
CREATE INDEX "change_events_unsequenced_idx" ON "change_events" ("created_at") WHERE "seq" IS NULL;
CREATE FUNCTION change_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('askproai_changes', '');
  RETURN NULL;
END;
$$;
CREATE TRIGGER change_events_notify AFTER INSERT ON "change_events" FOR EACH STATEMENT EXECUTE FUNCTION change_events_notify();
