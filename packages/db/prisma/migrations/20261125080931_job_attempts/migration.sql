-- CreateTable
CREATE TABLE "job_attempts" (
    "id" UUID NOT NULL,
    "company_id" UUID,
    "queue" TEXT NOT NULL,
    "job_name" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "outcome" TEXT NOT NULL DEFAULT 'running',
    "error" TEXT,

    CONSTRAINT "job_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "job_attempts_correlation_id_idx" ON "job_attempts"("correlation_id");

-- CreateIndex
CREATE INDEX "job_attempts_company_id_started_at_idx" ON "job_attempts"("company_id", "started_at");

-- AddForeignKey
ALTER TABLE "job_attempts" ADD CONSTRAINT "job_attempts_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
