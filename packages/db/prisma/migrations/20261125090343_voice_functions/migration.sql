-- AlterTable
ALTER TABLE "appointments" ADD COLUMN     "retell_call_id" TEXT;

-- CreateTable
CREATE TABLE "voice_function_calls" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "retell_call_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "request_key" TEXT NOT NULL,
    "answer" JSONB,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answered_at" TIMESTAMPTZ(3),
    "correlation_id" TEXT NOT NULL,

    CONSTRAINT "voice_function_calls_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "voice_function_calls_company_id_retell_call_id_idx" ON "voice_function_calls"("company_id", "retell_call_id");

-- CreateIndex
CREATE INDEX "voice_function_calls_claimed_at_idx" ON "voice_function_calls"("claimed_at");

-- CreateIndex
CREATE UNIQUE INDEX "voice_function_calls_company_id_request_key_key" ON "voice_function_calls"("company_id", "request_key");

-- CreateIndex
CREATE INDEX "appointments_company_id_retell_call_id_idx" ON "appointments"("company_id", "retell_call_id");

-- AddForeignKey
ALTER TABLE "voice_function_calls" ADD CONSTRAINT "voice_function_calls_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
