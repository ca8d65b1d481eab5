-- Edited by hand (SECURITY.md, storage layout): receipts move to a table of their own, so no row
-- holds both a receipt and answers; ballots are clustered by sitting; all WITHOUT ROWID. Rows are
-- copied in key order (random ids), never in arrival order.
CREATE TABLE `receipts` (
	`sitting_id` integer NOT NULL,
	`receipt` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`sitting_id`, `receipt`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `receipts`("sitting_id", "receipt", "dry_run") SELECT "sitting_id", "receipt", "dry_run" FROM `ballots` ORDER BY "sitting_id", "receipt";--> statement-breakpoint
CREATE TABLE `__new_ballots` (
	`sitting_id` integer NOT NULL,
	`id` text NOT NULL,
	`voter_group` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`answers` text NOT NULL,
	PRIMARY KEY(`sitting_id`, `id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_ballots`("sitting_id", "id", "voter_group", "dry_run", "answers") SELECT "sitting_id", "id", "voter_group", "dry_run", "answers" FROM `ballots` ORDER BY "sitting_id", "id";--> statement-breakpoint
DROP TABLE `ballots`;--> statement-breakpoint
ALTER TABLE `__new_ballots` RENAME TO `ballots`;--> statement-breakpoint
ALTER TABLE `sittings` ADD `released_ballots` integer;--> statement-breakpoint
UPDATE `sittings` SET `released_ballots` = (SELECT count(*) FROM `ballots` WHERE `ballots`.`sitting_id` = `sittings`.`id` AND `ballots`.`dry_run` = 0) WHERE `status` IN ('closed', 'published');
