CREATE TABLE `throttle_windows` (
	`key_hash` text PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`count` integer NOT NULL,
	`expires_at` integer NOT NULL
);
