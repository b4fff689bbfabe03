-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "billing_status" ADD VALUE 'unpaid';
ALTER TYPE "billing_status" ADD VALUE 'incomplete';
ALTER TYPE "billing_status" ADD VALUE 'paused';

-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "billing_event_at" TIMESTAMPTZ(3),
ADD COLUMN     "billing_event_id" TEXT;

-- AlterTable
ALTER TABLE "call_records" ADD COLUMN     "sentiment" TEXT;
