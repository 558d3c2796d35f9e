CREATE TABLE `team_notices` (
	`id` integer PRIMARY KEY NOT NULL,
	`request_id` integer NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`template` text NOT NULL,
	`props` text NOT NULL,
	`except_email` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
