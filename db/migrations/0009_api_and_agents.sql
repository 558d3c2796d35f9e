CREATE TABLE `api_calls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key_id` integer NOT NULL,
	`at` integer NOT NULL,
	`method` text NOT NULL,
	`route` text NOT NULL,
	`status` integer NOT NULL,
	`reference` text,
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `api_calls_key_idx` ON `api_calls` (`key_id`,`id`);--> statement-breakpoint
CREATE INDEX `api_calls_at_idx` ON `api_calls` (`at`);--> statement-breakpoint
CREATE TABLE `api_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` text NOT NULL,
	`target` text NOT NULL,
	`subscription_id` integer,
	`drp_request_id` text,
	`event_id` integer,
	`url` text NOT NULL,
	`body` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_attempt_at` integer,
	`last_response` text,
	`delivered_at` integer,
	`created_at` integer NOT NULL,
	`replayed_at` integer,
	`replayed_by` text,
	FOREIGN KEY (`subscription_id`) REFERENCES `api_subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`drp_request_id`) REFERENCES `drp_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_deliveries_delivery_id_unique` ON `api_deliveries` (`delivery_id`);--> statement-breakpoint
CREATE INDEX `api_deliveries_due_idx` ON `api_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `api_deliveries_subscription_idx` ON `api_deliveries` (`subscription_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `api_deliveries_subscription_event_idx` ON `api_deliveries` (`subscription_id`,`event_id`);--> statement-breakpoint
CREATE TABLE `api_feed` (
	`id` integer PRIMARY KEY NOT NULL,
	`last_event_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `api_filings` (
	`intake_id` text PRIMARY KEY NOT NULL,
	`key_id` integer NOT NULL,
	`type` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`key_id`) REFERENCES `api_keys`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `api_filings_key_idx` ON `api_filings` (`key_id`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`hint` text NOT NULL,
	`scopes` text NOT NULL,
	`rate_per_minute` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	`revoked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_secret_hash_unique` ON `api_keys` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `api_subscriptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`kinds` text NOT NULL,
	`secret_salt` text NOT NULL,
	`starts_after_event_id` integer NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `deadline_notices` (
	`request_id` integer NOT NULL,
	`kind` text NOT NULL,
	`due_on` text NOT NULL,
	PRIMARY KEY(`request_id`, `kind`, `due_on`),
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `drp_agents` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`verify_key` text NOT NULL,
	`trusts_verified_email` integer DEFAULT false NOT NULL,
	`technical_contact` text,
	`token_hash` text,
	`token_issued_at` integer,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`disabled_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drp_agents_token_hash_unique` ON `drp_agents` (`token_hash`);--> statement-breakpoint
CREATE TABLE `drp_business` (
	`id` integer PRIMARY KEY NOT NULL,
	`business_id` text NOT NULL,
	`technical_contact` text NOT NULL,
	`business_contact` text NOT NULL,
	`logo_url` text,
	`privacy_policy_url` text,
	`web_url` text,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `drp_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`agent_request_id` text,
	`exercise` text NOT NULL,
	`regime` text,
	`status_callback` text,
	`created_at` integer NOT NULL,
	`verification_expires_at` integer,
	`revoked_at` integer,
	`refused_reason` text,
	`refused_details` text,
	`denial_reason` text,
	`last_callback_status` text,
	FOREIGN KEY (`agent_id`) REFERENCES `drp_agents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `drp_requests_agent_idx` ON `drp_requests` (`agent_id`,`agent_request_id`);--> statement-breakpoint
CREATE TABLE `drp_seen_messages` (
	`hash` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drp_seen_messages_expires_idx` ON `drp_seen_messages` (`expires_at`);--> statement-breakpoint
ALTER TABLE `request_drafts` ADD `intake_id` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `intake_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `requests_intake_idx` ON `requests` (`intake_id`) WHERE intake_id is not null;