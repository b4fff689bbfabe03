-- AlterTable
ALTER TABLE "appointments" ADD COLUMN     "calendar_create_started_at" TIMESTAMPTZ(3);
