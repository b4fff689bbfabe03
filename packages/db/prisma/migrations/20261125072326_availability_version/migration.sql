-- AlterTable
ALTER TABLE "branches" ADD COLUMN     "availability_version" BIGINT NOT NULL DEFAULT 0;
