CREATE TABLE `paper_entries` (
	`sitting_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`clerk_id` integer NOT NULL,
	`answers` text NOT NULL,
	PRIMARY KEY(`token_hash`, `clerk_id`),
	FOREIGN KEY (`sitting_id`) REFERENCES `sittings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `sittings` ADD `paper_ballots` integer DEFAULT 0 NOT NULL;