-- Storage layout (SECURITY.md, On PostgreSQL). A heap appends rows in insert order, so ballots,
-- receipts and tokens get one partition per sitting, and closing a sitting replaces its
-- partitions' files (db/pg-layout.ts) without touching any other sitting. A table cannot become
-- partitioned in place: each of the three is renamed, created again partitioned by LIST
-- (sitting_id), refilled in a random order, and the old one dropped (its files unlinked).
ALTER TABLE "ballots" RENAME TO "ballots_before_0001";--> statement-breakpoint
ALTER TABLE "ballots_before_0001" RENAME CONSTRAINT "ballots_sitting_id_id_pk" TO "ballots_before_0001_pk";--> statement-breakpoint
ALTER TABLE "receipts" RENAME TO "receipts_before_0001";--> statement-breakpoint
ALTER TABLE "receipts_before_0001" RENAME CONSTRAINT "receipts_sitting_id_receipt_pk" TO "receipts_before_0001_pk";--> statement-breakpoint
ALTER TABLE "tokens" RENAME TO "tokens_before_0001";--> statement-breakpoint
ALTER TABLE "tokens_before_0001" RENAME CONSTRAINT "tokens_pkey" TO "tokens_before_0001_pk";--> statement-breakpoint
ALTER INDEX "tokens_sitting" RENAME TO "tokens_before_0001_sitting";--> statement-breakpoint
CREATE TABLE "ballots" (
	"sitting_id" integer NOT NULL,
	"id" text NOT NULL,
	"voter_group" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"answers" text NOT NULL,
	CONSTRAINT "ballots_sitting_id_id_pk" PRIMARY KEY("sitting_id","id")
) PARTITION BY LIST ("sitting_id");
--> statement-breakpoint
CREATE TABLE "receipts" (
	"sitting_id" integer NOT NULL,
	"receipt" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	CONSTRAINT "receipts_sitting_id_receipt_pk" PRIMARY KEY("sitting_id","receipt")
) PARTITION BY LIST ("sitting_id");
--> statement-breakpoint
CREATE TABLE "tokens" (
	"token_hash" text NOT NULL,
	"sitting_id" integer NOT NULL,
	"voter_group" text NOT NULL,
	"batch_id" integer NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"spent" boolean DEFAULT false NOT NULL,
	"dedupe_hash" text,
	CONSTRAINT "tokens_token_hash_sitting_id_pk" PRIMARY KEY("token_hash","sitting_id")
) PARTITION BY LIST ("sitting_id");
--> statement-breakpoint
CREATE INDEX "tokens_sitting" ON "tokens" USING btree ("sitting_id");--> statement-breakpoint
CREATE TABLE "token_sittings" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"sitting_id" integer NOT NULL
);
--> statement-breakpoint
-- A sitting's partitions, named <table>_sitting_<id> (db/pg-layout.ts builds the same names).
-- There is no DEFAULT partition on purpose: a row of a sitting without storage fails loudly
-- instead of landing in a shared heap, in arrival order, that no close would ever rewrite.
CREATE FUNCTION "create_sitting_storage"(sitting integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF "ballots" FOR VALUES IN (%s)', 'ballots_sitting_' || sitting, sitting);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF "receipts" FOR VALUES IN (%s)', 'receipts_sitting_' || sitting, sitting);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF "tokens" FOR VALUES IN (%s)', 'tokens_sitting_' || sitting, sitting);
END
$$;
--> statement-breakpoint
-- Every new sitting gets its storage in the transaction that creates it, whoever inserts it.
CREATE FUNCTION "sittings_create_storage"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM create_sitting_storage(NEW.id);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "sittings_storage" AFTER INSERT ON "sittings" FOR EACH ROW EXECUTE FUNCTION "sittings_create_storage"();--> statement-breakpoint
-- token_sittings follows the tokens issued and deleted through "tokens". These are statement
-- triggers on the partitioned table, so they do not fire when the close rewrites a partition
-- by its own name (db/pg-layout.ts): the rewritten tokens keep their rows here. A hash already
-- issued in another sitting fails on token_sittings' primary key, as SQLite's tokens key does.
CREATE FUNCTION "tokens_index_issued"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO token_sittings (token_hash, sitting_id) SELECT token_hash, sitting_id FROM issued;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tokens_issued" AFTER INSERT ON "tokens" REFERENCING NEW TABLE AS issued FOR EACH STATEMENT EXECUTE FUNCTION "tokens_index_issued"();--> statement-breakpoint
CREATE FUNCTION "tokens_unindex_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM token_sittings t USING deleted d WHERE t.token_hash = d.token_hash AND t.sitting_id = d.sitting_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "tokens_deleted" AFTER DELETE ON "tokens" REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION "tokens_unindex_deleted"();--> statement-breakpoint
SELECT create_sitting_storage(id) FROM (
	SELECT id FROM "sittings"
	UNION SELECT sitting_id FROM "ballots_before_0001"
	UNION SELECT sitting_id FROM "receipts_before_0001"
	UNION SELECT sitting_id FROM "tokens_before_0001"
) AS s;
--> statement-breakpoint
-- Refilled in a random order (gen_random_uuid draws from the CSPRNG), open sittings included.
INSERT INTO "tokens" SELECT * FROM "tokens_before_0001" ORDER BY gen_random_uuid();--> statement-breakpoint
INSERT INTO "ballots" SELECT * FROM "ballots_before_0001" ORDER BY gen_random_uuid();--> statement-breakpoint
INSERT INTO "receipts" SELECT * FROM "receipts_before_0001" ORDER BY gen_random_uuid();--> statement-breakpoint
DROP TABLE "ballots_before_0001", "receipts_before_0001", "tokens_before_0001";
