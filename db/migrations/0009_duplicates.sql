CREATE TABLE `request_duplicates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`earlier_id` integer NOT NULL,
	`flagged_at` integer NOT NULL,
	`resolution` text,
	`resolved_by` text,
	`resolved_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`earlier_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `request_duplicates_pair_idx` ON `request_duplicates` (`request_id`,`earlier_id`);--> statement-breakpoint
CREATE INDEX `request_duplicates_earlier_idx` ON `request_duplicates` (`earlier_id`);--> statement-breakpoint
ALTER TABLE `requests` ADD `possible_duplicate` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `requests` ADD `merged_into_id` integer;--> statement-breakpoint
CREATE INDEX `requests_duplicate_received_idx` ON `requests` (`received_at`,`id`) WHERE possible_duplicate = 1;--> statement-breakpoint
CREATE INDEX `requests_duplicate_due_idx` ON `requests` (`due_on`,`id`) WHERE possible_duplicate = 1;--> statement-breakpoint
CREATE INDEX `requests_merged_into_idx` ON `requests` (`merged_into_id`) WHERE merged_into_id is not null;