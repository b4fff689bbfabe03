-- CreateTable
CREATE TABLE "management_audit" (
    "id" UUID NOT NULL,
    "company_id" UUID NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT,
    "changes" JSONB NOT NULL DEFAULT '{}',
    "correlation_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "management_audit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "phone_numbers" (
    "number" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "owner_kind" TEXT NOT NULL,
    "owner_id" UUID NOT NULL,

    CONSTRAINT "phone_numbers_pkey" PRIMARY KEY ("number")
);

-- CreateIndex
CREATE INDEX "management_audit_company_id_created_at_idx" ON "management_audit"("company_id", "created_at");

-- CreateIndex
CREATE INDEX "phone_numbers_company_id_idx" ON "phone_numbers"("company_id");

-- AddForeignKey
ALTER TABLE "management_audit" ADD CONSTRAINT "management_audit_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "companies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: a number that routes calls belongs to ONE branch or hotline across all companies.
-- branches.phone_number and hotline_numbers.phone_number are each unique on their own; the registry's
-- primary key makes them unique across both tables, maintained here so that no writer (set-up, seed,
-- a console) can get around it.
ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_owner_kind CHECK (owner_kind IN ('branch', 'hotline'));

CREATE FUNCTION phone_numbers_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.phone_number IS NOT NULL THEN
    DELETE FROM phone_numbers WHERE number = OLD.phone_number AND owner_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.phone_number IS NOT NULL THEN
    INSERT INTO phone_numbers (number, company_id, owner_kind, owner_id)
    VALUES (NEW.phone_number, NEW.company_id, TG_ARGV[0], NEW.id);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER branches_phone_numbers
  AFTER INSERT OR DELETE OR UPDATE OF phone_number ON branches
  FOR EACH ROW EXECUTE FUNCTION phone_numbers_sync('branch');

CREATE TRIGGER hotline_numbers_phone_numbers
  AFTER INSERT OR DELETE OR UPDATE OF phone_number ON hotline_numbers
  FOR EACH ROW EXECUTE FUNCTION phone_numbers_sync('hotline');

INSERT INTO phone_numbers (number, company_id, owner_kind, owner_id)
  SELECT phone_number, company_id, 'branch', id FROM branches WHERE phone_number IS NOT NULL
  UNION ALL
  SELECT phone_number, company_id, 'hotline', id FROM hotline_numbers;
