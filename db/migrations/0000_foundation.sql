CREATE TABLE `access_exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`built_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`content` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `access_exports_request_id_unique` ON `access_exports` (`request_id`);--> statement-breakpoint
CREATE TABLE `accounts` (
	`userId` text NOT NULL,
	`type` text NOT NULL,
	`provider` text NOT NULL,
	`providerAccountId` text NOT NULL,
	`refresh_token` text,
	`access_token` text,
	`expires_at` integer,
	`token_type` text,
	`scope` text,
	`id_token` text,
	`session_state` text,
	PRIMARY KEY(`provider`, `providerAccountId`),
	FOREIGN KEY (`userId`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `correction_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`field` text NOT NULL,
	`current_value` text,
	`proposed_value` text NOT NULL,
	`decision` text NOT NULL,
	`note` text,
	`decided_by` text NOT NULL,
	`decided_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `correction_decisions_request_field_idx` ON `correction_decisions` (`request_id`,`field`);--> statement-breakpoint
CREATE TABLE `correspondence` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`supporter_id` integer NOT NULL,
	`at` integer NOT NULL,
	`direction` text NOT NULL,
	`channel` text NOT NULL,
	`subject` text,
	`body` text NOT NULL,
	FOREIGN KEY (`supporter_id`) REFERENCES `supporters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `correspondence_external_id_unique` ON `correspondence` (`external_id`);--> statement-breakpoint
CREATE INDEX `correspondence_supporter_idx` ON `correspondence` (`supporter_id`);--> statement-breakpoint
CREATE TABLE `donations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`supporter_id` integer,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`donated_on` text NOT NULL,
	`method` text NOT NULL,
	`card_last4` text,
	`anonymised_at` integer,
	FOREIGN KEY (`supporter_id`) REFERENCES `supporters`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `donations_external_id_unique` ON `donations` (`external_id`);--> statement-breakpoint
CREATE INDEX `donations_supporter_idx` ON `donations` (`supporter_id`);--> statement-breakpoint
CREATE TABLE `external_systems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`url` text,
	`secret` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `external_systems_name_unique` ON `external_systems` (`name`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`request_id` integer,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_outbox_message_id_unique` ON `mail_outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`supporter_id` integer NOT NULL,
	`plan` text NOT NULL,
	`started_on` text NOT NULL,
	`ends_on` text,
	`status` text NOT NULL,
	FOREIGN KEY (`supporter_id`) REFERENCES `supporters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `memberships_external_id_unique` ON `memberships` (`external_id`);--> statement-breakpoint
CREATE INDEX `memberships_supporter_idx` ON `memberships` (`supporter_id`);--> statement-breakpoint
CREATE TABLE `org_statement` (
	`id` integer PRIMARY KEY NOT NULL,
	`purposes` text NOT NULL,
	`recipients` text NOT NULL,
	`retention` text NOT NULL,
	`sources` text NOT NULL,
	`rights` text NOT NULL,
	`donation_retention_years` integer DEFAULT 6 NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `petition_signatures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`supporter_id` integer NOT NULL,
	`petition` text NOT NULL,
	`signed_at` integer NOT NULL,
	`comment` text,
	FOREIGN KEY (`supporter_id`) REFERENCES `supporters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `petition_signatures_external_id_unique` ON `petition_signatures` (`external_id`);--> statement-breakpoint
CREATE INDEX `petition_signatures_supporter_idx` ON `petition_signatures` (`supporter_id`);--> statement-breakpoint
CREATE TABLE `request_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`type` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`details` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`request_id` integer,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `request_drafts_key_unique` ON `request_drafts` (`key`);--> statement-breakpoint
CREATE INDEX `request_drafts_expires_idx` ON `request_drafts` (`expires_at`);--> statement-breakpoint
CREATE TABLE `request_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_email` text,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`note` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_events_request_idx` ON `request_events` (`request_id`,`id`);--> statement-breakpoint
CREATE TABLE `request_tasks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` integer NOT NULL,
	`system_id` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_response` text,
	`completed_at` integer,
	`completed_by` text,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`system_id`) REFERENCES `external_systems`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `request_tasks_request_system_idx` ON `request_tasks` (`request_id`,`system_id`);--> statement-breakpoint
CREATE INDEX `request_tasks_due_idx` ON `request_tasks` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference` text NOT NULL,
	`type` text NOT NULL,
	`status` text NOT NULL,
	`subject_email` text NOT NULL,
	`subject_name` text,
	`details` text NOT NULL,
	`channel` text DEFAULT 'web' NOT NULL,
	`identity_check` text,
	`regime` text NOT NULL,
	`received_at` integer NOT NULL,
	`received_on` text NOT NULL,
	`due_on` text NOT NULL,
	`extended_at` integer,
	`extension_reason` text,
	`clock_stopped_on` text,
	`days_clock_stopped` integer DEFAULT 0 NOT NULL,
	`assignee_email` text,
	`closed_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `requests_reference_unique` ON `requests` (`reference`);--> statement-breakpoint
CREATE INDEX `requests_subject_received_idx` ON `requests` (`subject_email`,`received_at`);--> statement-breakpoint
CREATE INDEX `requests_received_idx` ON `requests` (`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `requests_status_received_idx` ON `requests` (`status`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `requests_due_idx` ON `requests` (`due_on`,`id`);--> statement-breakpoint
CREATE INDEX `requests_status_due_idx` ON `requests` (`status`,`due_on`,`id`);--> statement-breakpoint
CREATE INDEX `requests_assignee_received_idx` ON `requests` (`assignee_email`,`received_at`,`id`);--> statement-breakpoint
CREATE INDEX `requests_status_closed_idx` ON `requests` (`status`,`closed_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`sessionToken` text PRIMARY KEY NOT NULL,
	`userId` text NOT NULL,
	`expires` integer NOT NULL,
	FOREIGN KEY (`userId`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`userId`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_email_unique` ON `staff` (`email`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`supporter_id` integer NOT NULL,
	`list` text NOT NULL,
	`subscribed_at` integer NOT NULL,
	`unsubscribed_at` integer,
	FOREIGN KEY (`supporter_id`) REFERENCES `supporters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_external_id_unique` ON `subscriptions` (`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_supporter_list_idx` ON `subscriptions` (`supporter_id`,`list`);--> statement-breakpoint
CREATE TABLE `supporters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`postal_address` text,
	`phone` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `supporters_external_id_unique` ON `supporters` (`external_id`);--> statement-breakpoint
CREATE INDEX `supporters_email_idx` ON `supporters` (`email`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email_hash` text NOT NULL,
	`reason` text NOT NULL,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_email_hash_unique` ON `suppressions` (`email_hash`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`email` text,
	`emailVerified` integer,
	`image` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `verification_tokens` (
	`identifier` text NOT NULL,
	`token` text NOT NULL,
	`expires` integer NOT NULL,
	PRIMARY KEY(`identifier`, `token`)
);
--> statement-breakpoint
CREATE TABLE `web_visits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text NOT NULL,
	`supporter_id` integer NOT NULL,
	`at` integer NOT NULL,
	`ip_address` text NOT NULL,
	`user_agent` text,
	`page` text NOT NULL,
	`referrer` text,
	FOREIGN KEY (`supporter_id`) REFERENCES `supporters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `web_visits_external_id_unique` ON `web_visits` (`external_id`);--> statement-breakpoint
CREATE INDEX `web_visits_supporter_idx` ON `web_visits` (`supporter_id`);