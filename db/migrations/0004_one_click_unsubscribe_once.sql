CREATE TABLE `used_unsubscribe_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`used_at` integer NOT NULL,
	`expires` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `used_unsubscribe_links_expires_idx` ON `used_unsubscribe_links` (`expires`);