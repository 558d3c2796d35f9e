ALTER TABLE `mail_outbox` ADD `claim_token` text;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `template` text;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `props` text;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `list_unsubscribe` text;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `auto_retry` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `alerted_at` integer;--> statement-breakpoint
CREATE TABLE `mail_throttle` (
	`id` integer PRIMARY KEY NOT NULL,
	`next_slot_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff_digests` (
	`day` text PRIMARY KEY NOT NULL,
	`sent_at` integer NOT NULL,
	`recipients` integer NOT NULL,
	`requests` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `used_sign_in_links` (
	`token` text PRIMARY KEY NOT NULL,
	`used_at` integer NOT NULL,
	`expires` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_sign_in_links_expires_idx` ON `used_sign_in_links` (`expires`);
