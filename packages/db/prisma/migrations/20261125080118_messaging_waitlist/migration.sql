-- CreateEnum
CREATE TYPE "message_channel" AS ENUM ('sms', 'email');

-- CreateEnum
CREATE TYPE "message_kind" AS ENUM ('confirmation', 'rescheduled', 'cancellation', 'reminder', 'waitlist_offer', 'waitlist_gone');

-- CreateEnum
CREATE TYPE "message_state" AS ENUM ('pending', 'sending', 'sent', 'failed', 'skipped', 'unknown');

-- CreateEnum
CREATE TYPE "waitlist_entry_state" AS ENUM ('waiting', 'booked', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "waitlist_offer_state" AS ENUM ('offered', 'confirming', 'accepted', 'declined', 'expired', 'withdrawn');

-- AlterEnum
ALTER TYPE "appointment_source" ADD VALUE 'waitlist';

-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "message_language" TEXT NOT NULL DEFAULT 'de',
ADD COLUMN     "no_show_limit" INTEGER DEFAULT 3,
ADD COLUMN     "reminder_offsets_minutes" INTEGER[] DEFAULT ARRAY[1440, 120]::INTEGER[],
ADD COLUMN     "waitlist_hold_minutes" INTEGER NOT NULL DEFAULT 10;

-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "language" TEXT;

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "appointment_id" UUID,
    "appointment_version" INTEGER,
    "appointment_start" TIMESTAMPTZ(3),
    "reminder_offset_minutes" INTEGER NOT NULL DEFAULT 0,
    "waitlist_offer_id" UUID,
    "kind" "message_kind" NOT NULL,
    "channel" "message_channel" NOT NULL,
    "language" TEXT NOT NULL,
    "state" "message_state" NOT NULL DEFAULT 'pending',
    "send_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "attempt_started_at" TIMESTAMPTZ(3),
    "attempt_ended_at" TIMESTAMPTZ(3),
    "body_sha256" TEXT,
    "provider_message_id" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "detail" TEXT,
    "correlation_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_templates" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "kind" "message_kind" NOT NULL,
    "channel" "message_channel" NOT NULL,
    "language" TEXT NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "message_templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waitlist_entries" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "branch_id" UUID NOT NULL,
    "service_id" UUID NOT NULL,
    "staff_id" UUID,
    "customer_id" UUID NOT NULL,
    "from_date" DATE NOT NULL,
    "to_date" DATE NOT NULL,
    "earliest_minute" INTEGER NOT NULL DEFAULT 0,
    "latest_minute" INTEGER NOT NULL DEFAULT 1439,
    "state" "waitlist_entry_state" NOT NULL DEFAULT 'waiting',
    "source" "appointment_source" NOT NULL,
    "notes" TEXT,
    "appointment_id" UUID,
    "correlation_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "waitlist_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waitlist_offers" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "branch_id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "resource_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "state" "waitlist_offer_state" NOT NULL DEFAULT 'offered',
    "code" TEXT NOT NULL,
    "appointment_id" UUID,
    "responded_at" TIMESTAMPTZ(3),
    "correlation_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "waitlist_offers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waitlist_matches" (
    "branch_id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "matched_version" BIGINT NOT NULL,
    "matched_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "waitlist_matches_pkey" PRIMARY KEY ("branch_id")
);

-- CreateIndex
CREATE INDEX "messages_state_send_after_idx" ON "messages"("state", "send_after");

-- CreateIndex
CREATE INDEX "messages_company_id_appointment_id_idx" ON "messages"("company_id", "appointment_id");

-- CreateIndex
CREATE INDEX "messages_company_id_created_at_idx" ON "messages"("company_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "message_templates_company_id_kind_channel_language_key" ON "message_templates"("company_id", "kind", "channel", "language");

-- CreateIndex
CREATE INDEX "waitlist_entries_company_id_branch_id_state_created_at_idx" ON "waitlist_entries"("company_id", "branch_id", "state", "created_at");

-- CreateIndex
CREATE INDEX "waitlist_offers_state_expires_at_idx" ON "waitlist_offers"("state", "expires_at");

-- CreateIndex
CREATE INDEX "waitlist_offers_company_id_entry_id_idx" ON "waitlist_offers"("company_id", "entry_id");

-- CreateIndex
CREATE INDEX "waitlist_matches_company_id_idx" ON "waitlist_matches"("company_id");

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waitlist_offers" ADD CONSTRAINT "waitlist_offers_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waitlist_offers" ADD CONSTRAINT "waitlist_offers_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "waitlist_entries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waitlist_matches" ADD CONSTRAINT "waitlist_matches_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: what schema.prisma cannot express.

-- A message is claimed by its key before it is sent, so a retry or a second worker can never send it twice.
CREATE UNIQUE INDEX "messages_appointment_notice_key" ON "messages" ("appointment_id", "appointment_version", "kind", "channel")
  WHERE "kind" IN ('confirmation', 'rescheduled', 'cancellation');
CREATE UNIQUE INDEX "messages_reminder_key" ON "messages" ("appointment_id", "appointment_start", "reminder_offset_minutes", "channel")
  WHERE "kind" = 'reminder';
CREATE UNIQUE INDEX "messages_waitlist_key" ON "messages" ("waitlist_offer_id", "kind", "channel")
  WHERE "waitlist_offer_id" IS NOT NULL;
ALTER TABLE "messages" ADD CONSTRAINT "messages_key_present" CHECK (
  ("kind" IN ('confirmation', 'rescheduled', 'cancellation') AND "appointment_id" IS NOT NULL AND "appointment_version" IS NOT NULL)
  OR ("kind" = 'reminder' AND "appointment_id" IS NOT NULL AND "appointment_start" IS NOT NULL AND "reminder_offset_minutes" > 0)
  OR ("kind" IN ('waitlist_offer', 'waitlist_gone') AND "waitlist_offer_id" IS NOT NULL)
);
-- The worker's sweep of due messages.
CREATE INDEX "messages_due_idx" ON "messages" ("send_after") WHERE "state" IN ('pending', 'sending');

-- One outstanding offer per slot (staff member and start) and per waiting customer.
CREATE UNIQUE INDEX "waitlist_offers_outstanding_slot_key" ON "waitlist_offers" ("staff_id", "starts_at") WHERE "state" IN ('offered', 'confirming');
CREATE UNIQUE INDEX "waitlist_offers_outstanding_entry_key" ON "waitlist_offers" ("entry_id") WHERE "state" IN ('offered', 'confirming');
CREATE INDEX "waitlist_offers_outstanding_idx" ON "waitlist_offers" ("expires_at") WHERE "state" IN ('offered', 'confirming');

ALTER TABLE "waitlist_entries"
  ADD CONSTRAINT "waitlist_entries_window" CHECK (from_date <= to_date AND earliest_minute >= 0 AND latest_minute < 1440 AND earliest_minute <= latest_minute);
ALTER TABLE "waitlist_offers" ADD CONSTRAINT "waitlist_offers_ends_after_start" CHECK (ends_at > starts_at);
ALTER TABLE "companies" ADD CONSTRAINT "companies_messaging_policy" CHECK (
  waitlist_hold_minutes BETWEEN 1 AND 1440 AND (no_show_limit IS NULL OR no_show_limit >= 1) AND message_language IN ('de', 'en')
);
ALTER TABLE "customers" ADD CONSTRAINT "customers_language" CHECK (language IS NULL OR language IN ('de', 'en'));

-- Tenant consistency: rows reference only rows of their own company.
CREATE UNIQUE INDEX IF NOT EXISTS "appointments_id_company_key" ON "appointments" ("id", "company_id");
ALTER TABLE "waitlist_entries" ADD CONSTRAINT "waitlist_entries_id_company_key" UNIQUE ("id", "company_id");
ALTER TABLE "waitlist_offers" ADD CONSTRAINT "waitlist_offers_id_company_key" UNIQUE ("id", "company_id");
ALTER TABLE "messages"
  ADD CONSTRAINT "messages_customer_same_company" FOREIGN KEY ("customer_id", "company_id") REFERENCES "customers" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "messages_appointment_same_company" FOREIGN KEY ("appointment_id", "company_id") REFERENCES "appointments" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "messages_offer_same_company" FOREIGN KEY ("waitlist_offer_id", "company_id") REFERENCES "waitlist_offers" ("id", "company_id") ON DELETE CASCADE;
ALTER TABLE "waitlist_entries"
  ADD CONSTRAINT "waitlist_entries_branch_same_company" FOREIGN KEY ("branch_id", "company_id") REFERENCES "branches" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "waitlist_entries_service_same_company" FOREIGN KEY ("service_id", "company_id") REFERENCES "services" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "waitlist_entries_staff_same_company" FOREIGN KEY ("staff_id", "company_id") REFERENCES "staff" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "waitlist_entries_customer_same_company" FOREIGN KEY ("customer_id", "company_id") REFERENCES "customers" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "waitlist_entries_appointment_same_company" FOREIGN KEY ("appointment_id", "company_id") REFERENCES "appointments" ("id", "company_id");
ALTER TABLE "waitlist_offers"
  ADD CONSTRAINT "waitlist_offers_entry_same_company" FOREIGN KEY ("entry_id", "company_id") REFERENCES "waitlist_entries" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "waitlist_offers_branch_same_company" FOREIGN KEY ("branch_id", "company_id") REFERENCES "branches" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "waitlist_offers_staff_same_company" FOREIGN KEY ("staff_id", "company_id") REFERENCES "staff" ("id", "company_id") ON DELETE CASCADE,
  ADD CONSTRAINT "waitlist_offers_appointment_same_company" FOREIGN KEY ("appointment_id", "company_id") REFERENCES "appointments" ("id", "company_id");
ALTER TABLE "waitlist_matches"
  ADD CONSTRAINT "waitlist_matches_branch_same_company" FOREIGN KEY ("branch_id", "company_id") REFERENCES "branches" ("id", "company_id") ON DELETE CASCADE;
ALTER TABLE "message_templates" ADD CONSTRAINT "message_templates_language" CHECK (language IN ('de', 'en'));

-- The reminder scan reads upcoming active appointments of every company by start.
CREATE INDEX "appointments_active_starts_idx" ON "appointments" ("starts_at") WHERE status IN ('pending', 'confirmed');
