CREATE TABLE `org_texts` (
	`language` text PRIMARY KEY NOT NULL,
	`org_name` text,
	`purposes` text,
	`recipients` text,
	`retention` text,
	`sources` text,
	`rights` text,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `request_drafts` ADD `language` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `requests` ADD `language` text DEFAULT 'en' NOT NULL;