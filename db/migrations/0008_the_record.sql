CREATE TABLE `daily_runs` (
	`job` text NOT NULL,
	`day` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`outcome` text,
	PRIMARY KEY(`job`, `day`)
);
--> statement-breakpoint
CREATE TABLE `erasure_outcomes` (
	`request_id` integer PRIMARY KEY NOT NULL,
	`erased_at` integer NOT NULL,
	`deleted` text NOT NULL,
	`kept` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `event_log_anchors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`position` integer NOT NULL,
	`hash` text NOT NULL,
	`signed_at` integer NOT NULL,
	`key_id` text NOT NULL,
	`signature` text NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `event_log_conversions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`converted_at` integer NOT NULL,
	`events` integer NOT NULL,
	`legacy_head_hash` text NOT NULL,
	`head_hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `request_receipts` (
	`request_id` integer PRIMARY KEY NOT NULL,
	`issued_at` integer NOT NULL,
	`position` integer NOT NULL,
	`key_id` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `request_events` ADD `content_salt` text;--> statement-breakpoint
ALTER TABLE `request_events` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `request_events` ADD `status_after` text;--> statement-breakpoint
ALTER TABLE `request_events` ADD `due_on_after` text;--> statement-breakpoint
ALTER TABLE `request_events` ADD `assignee_after` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `reduced_at` integer;--> statement-breakpoint
CREATE INDEX `requests_to_reduce_idx` ON `requests` (`closed_at`) WHERE closed_at is not null and reduced_at is null;