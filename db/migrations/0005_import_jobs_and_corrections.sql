CREATE TABLE `import_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`filename` text NOT NULL,
	`imported_by` text NOT NULL,
	`status` text NOT NULL,
	`bytes` integer NOT NULL,
	`content` text,
	`runner_pid` integer,
	`report` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `import_jobs_status_idx` ON `import_jobs` (`status`);--> statement-breakpoint
CREATE TABLE `supporter_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`supporter_id` integer NOT NULL,
	`field` text NOT NULL,
	`imported_value` text,
	`corrected_value` text,
	`corrected_at` integer NOT NULL,
	`request_reference` text NOT NULL,
	FOREIGN KEY (`supporter_id`) REFERENCES `supporters`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `supporter_corrections_supporter_field_idx` ON `supporter_corrections` (`supporter_id`,`field`);--> statement-breakpoint
-- Webhook answers were stored with the first 200 characters of what the system wrote back, and error
-- texts with internal addresses; keep only the status code (or that there was no answer).
UPDATE `request_tasks` SET `last_response` = CASE
	WHEN `last_response` LIKE 'HTTP %' THEN substr(`last_response`, 1, 8) || ': the system''s answer is no longer shown.'
	ELSE 'No answer: the connection failed.'
END
WHERE `system_id` IN (SELECT `id` FROM `external_systems` WHERE `kind` = 'webhook') AND `last_response` IS NOT NULL
	AND (`completed_by` IS NULL OR `completed_by` = 'system');
