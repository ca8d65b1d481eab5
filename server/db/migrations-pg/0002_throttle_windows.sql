CREATE TABLE "throttle_windows" (
	"key_hash" text PRIMARY KEY NOT NULL,
	"started_at" bigint NOT NULL,
	"count" integer NOT NULL,
	"expires_at" bigint NOT NULL
);
