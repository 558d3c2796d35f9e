CREATE TABLE `bulk_job_items` (
	`job_id` integer NOT NULL,
	`position` integer NOT NULL,
	`request_id` integer NOT NULL,
	`outcome` text NOT NULL,
	`message` text,
	`at` integer,
	PRIMARY KEY(`job_id`, `position`),
	FOREIGN KEY (`job_id`) REFERENCES `bulk_jobs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `bulk_job_items_outcome_idx` ON `bulk_job_items` (`job_id`,`outcome`,`position`);--> statement-breakpoint
CREATE TABLE `bulk_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`action` text NOT NULL,
	`params` text NOT NULL,
	`started_by` text NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`moved` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `bulk_jobs_status_idx` ON `bulk_jobs` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `passkeys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`staff_id` integer NOT NULL,
	`credential_id` text NOT NULL,
	`public_key` text NOT NULL,
	`counter` integer DEFAULT 0 NOT NULL,
	`transports` text,
	`name` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `passkeys_credential_id_unique` ON `passkeys` (`credential_id`);--> statement-breakpoint
CREATE INDEX `passkeys_staff_idx` ON `passkeys` (`staff_id`);--> statement-breakpoint
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
CREATE TABLE `sign_in_policy` (
	`id` integer PRIMARY KEY NOT NULL,
	`passkeys_required` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_email` text,
	`subject_email` text NOT NULL,
	`kind` text NOT NULL,
	`note` text
);
--> statement-breakpoint
CREATE INDEX `staff_events_at_idx` ON `staff_events` (`at`);--> statement-breakpoint
CREATE TABLE `webauthn_challenges` (
	`session_handle` text NOT NULL,
	`purpose` text NOT NULL,
	`challenge` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`session_handle`, `purpose`)
);
--> statement-breakpoint
ALTER TABLE `requests` ADD `possible_duplicate` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `requests` ADD `merged_into_id` integer;--> statement-breakpoint
CREATE INDEX `requests_duplicate_received_idx` ON `requests` (`received_at`,`id`) WHERE possible_duplicate = 1;--> statement-breakpoint
CREATE INDEX `requests_duplicate_due_idx` ON `requests` (`due_on`,`id`) WHERE possible_duplicate = 1;--> statement-breakpoint
CREATE INDEX `requests_merged_into_idx` ON `requests` (`merged_into_id`) WHERE merged_into_id is not null;--> statement-breakpoint
ALTER TABLE `sessions` ADD `created_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `last_seen_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `device` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `second_factor` text;