-- CreateTable
CREATE TABLE "calendar_connections" (
    "company_id" UUID NOT NULL,
    "api_key_encrypted" TEXT,
    "breaker_state" TEXT NOT NULL DEFAULT 'closed',
    "breaker_changed_at" TIMESTAMPTZ(3),
    "last_success_at" TIMESTAMPTZ(3),
    "last_error_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "reconciled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "calendar_connections_pkey" PRIMARY KEY ("company_id")
);

-- CreateTable
CREATE TABLE "calendar_conflicts" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "calcom_booking_uid" TEXT NOT NULL,
    "staff_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "appointment_id" UUID,
    "detail" TEXT NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "correlation_id" TEXT NOT NULL,

    CONSTRAINT "calendar_conflicts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "calendar_conflicts_company_id_detected_at_idx" ON "calendar_conflicts"("company_id", "detected_at");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_conflicts_company_id_calcom_booking_uid_key" ON "calendar_conflicts"("company_id", "calcom_booking_uid");

-- AddForeignKey
ALTER TABLE "calendar_connections" ADD CONSTRAINT "calendar_connections_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_conflicts" ADD CONSTRAINT "calendar_conflicts_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
