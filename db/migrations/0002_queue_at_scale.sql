CREATE TABLE `request_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `requests_received_idx`;--> statement-breakpoint
DROP INDEX `requests_due_idx`;--> statement-breakpoint
CREATE INDEX `requests_running_received_idx` ON `requests` (`received_at`,`id`,`due_on`,`received_on`) WHERE +status in ('received', 'in_review', 'awaiting_supporter', 'approved') and clock_stopped_on is null;--> statement-breakpoint
CREATE INDEX `requests_running_due_idx` ON `requests` (`due_on`,`id`,`received_on`) WHERE +status in ('received', 'in_review', 'awaiting_supporter', 'approved') and clock_stopped_on is null;--> statement-breakpoint
CREATE INDEX `requests_received_idx` ON `requests` (`received_at`,`id`,`subject_email`);--> statement-breakpoint
CREATE INDEX `requests_due_idx` ON `requests` (`due_on`,`id`,`subject_email`);--> statement-breakpoint
-- Written by hand (drizzle-kit does not generate triggers): the counts start from the rows already there,
-- and from then on change in the same transaction as each insert, status change and delete on requests.
INSERT INTO `request_status_counts` (`status`, `count`) SELECT `status`, count(*) FROM `requests` GROUP BY `status`;--> statement-breakpoint
CREATE TRIGGER `requests_status_count_insert` AFTER INSERT ON `requests` BEGIN
	INSERT INTO `request_status_counts` (`status`, `count`) VALUES (new.`status`, 1)
		ON CONFLICT (`status`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `requests_status_count_update` AFTER UPDATE OF `status` ON `requests` WHEN new.`status` IS NOT old.`status` BEGIN
	UPDATE `request_status_counts` SET `count` = `count` - 1 WHERE `status` = old.`status`;
	INSERT INTO `request_status_counts` (`status`, `count`) VALUES (new.`status`, 1)
		ON CONFLICT (`status`) DO UPDATE SET `count` = `count` + 1;
END;--> statement-breakpoint
CREATE TRIGGER `requests_status_count_delete` AFTER DELETE ON `requests` BEGIN
	UPDATE `request_status_counts` SET `count` = `count` - 1 WHERE `status` = old.`status`;
END;
