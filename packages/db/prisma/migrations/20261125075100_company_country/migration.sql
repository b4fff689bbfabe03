-- AlterTable
ALTER TABLE "companies" ADD COLUMN     "country" CHAR(2) NOT NULL DEFAULT 'DE';
