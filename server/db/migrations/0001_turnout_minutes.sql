CREATE TABLE `turnout_minutes` (
	`sitting_id` integer NOT NULL,
	`minute` integer NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`ballots` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`sitting_id`, `dry_run`, `minute`)
);
