CREATE TABLE `consent_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`topic` text NOT NULL,
	`list` text DEFAULT '' NOT NULL,
	`state` text NOT NULL,
	`at` integer NOT NULL,
	`route` text NOT NULL,
	`wording` text NOT NULL,
	`detail` text,
	`request_id` integer,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consent_changes_email_idx` ON `consent_changes` (`email`,`id`);--> statement-breakpoint
CREATE INDEX `consent_changes_topic_state_at_idx` ON `consent_changes` (`topic`,`state`,`at`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`topic` text NOT NULL,
	`list` text DEFAULT '' NOT NULL,
	`state` text NOT NULL,
	`at` integer NOT NULL,
	`route` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consents_email_topic_list_idx` ON `consents` (`email`,`topic`,`list`);--> statement-breakpoint
CREATE TABLE `mailing_lists` (
	`name` text PRIMARY KEY NOT NULL,
	`title` text,
	`description` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text
);
--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `list` text;--> statement-breakpoint
-- Every list the subscriptions imported so far name becomes a mailing list the preference centre offers.
INSERT OR IGNORE INTO `mailing_lists` (`name`, `title`, `description`, `created_at`, `updated_at`, `updated_by`)
SELECT DISTINCT `list`, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL
FROM `subscriptions`;
