CREATE TABLE `system_previews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`system_id` integer NOT NULL,
	`staff_email` text NOT NULL,
	`address_hash` text NOT NULL,
	`at` integer NOT NULL,
	`outcome` text NOT NULL,
	FOREIGN KEY (`system_id`) REFERENCES `external_systems`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `system_previews_system_idx` ON `system_previews` (`system_id`,`at`);--> statement-breakpoint
ALTER TABLE `external_systems` ADD `connection` text;--> statement-breakpoint
ALTER TABLE `external_systems` ADD `sealed_password` text;--> statement-breakpoint
ALTER TABLE `external_systems` ADD `dataset_map` text;--> statement-breakpoint
ALTER TABLE `external_systems` ADD `map_checked_at` integer;--> statement-breakpoint
ALTER TABLE `external_systems` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `request_tasks` ADD `result` text;