ALTER TABLE `request_events` ADD `identity_hash` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `identity_salt` text;