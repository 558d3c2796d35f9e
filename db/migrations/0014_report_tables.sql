CREATE TABLE `report_close_times` (
	`unit` text NOT NULL,
	`month` text NOT NULL,
	`step` integer NOT NULL,
	`closings` integer NOT NULL,
	`took_ms` integer NOT NULL,
	PRIMARY KEY(`unit`, `month`, `step`)
);
--> statement-breakpoint
CREATE TABLE `report_month_spans` (
	`month` text PRIMARY KEY NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_month_spans_starts_idx` ON `report_month_spans` (`starts_at`);--> statement-breakpoint
CREATE TABLE `report_months` (
	`month` text PRIMARY KEY NOT NULL,
	`received` integer DEFAULT 0 NOT NULL,
	`completed` integer DEFAULT 0 NOT NULL,
	`denied` integer DEFAULT 0 NOT NULL,
	`closing_changes` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_time_zone` (
	`id` integer PRIMARY KEY NOT NULL,
	`time_zone` text NOT NULL,
	`rebuilt_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Written by hand (drizzle-kit does not generate triggers), from lib/reports/report-tables.ts: the spans of UTC months
-- (the default TIME_ZONE; another zone is rebuilt at start), the figures from the requests already there, then the
-- triggers that keep them in the same transaction as each insert, change and delete on requests.
INSERT INTO `report_time_zone` (`id`, `time_zone`) VALUES (1, 'UTC');--> statement-breakpoint
WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 2759)
INSERT INTO report_month_spans (month, starts_at, ends_at)
  SELECT strftime('%Y-%m', '1970-01-01', '+' || n || ' months'),
    CAST(strftime('%s', '1970-01-01', '+' || n || ' months') AS INTEGER) * 1000,
    CAST(strftime('%s', '1970-01-01', '+' || (n + 1) || ' months') AS INTEGER) * 1000
  FROM k;--> statement-breakpoint
INSERT INTO report_months (month, received) SELECT substr(received_on, 1, 7), count(*) FROM requests GROUP BY 1;--> statement-breakpoint
INSERT INTO report_months (month, completed, denied)
    SELECT month, sum(status = 'completed'), sum(status = 'denied') FROM (SELECT coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= closed_at AND s.ends_at > closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', closed_at / 1000, 'unixepoch')) AS month, status FROM requests WHERE status IN ('completed', 'denied') AND closed_at IS NOT NULL) WHERE true GROUP BY month
    ON CONFLICT (month) DO UPDATE SET completed = excluded.completed, denied = excluded.denied;--> statement-breakpoint
INSERT INTO report_close_times (unit, month, step, closings, took_ms)
    SELECT u.unit, c.month, ((c.took) - ((c.took) < 0) * (u.size - 1)) / u.size, count(*), sum(c.took)
    FROM (SELECT coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= closed_at AND s.ends_at > closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', closed_at / 1000, 'unixepoch')) AS month, CAST(closed_at - received_at AS INTEGER) AS took FROM requests WHERE status IN ('completed', 'denied') AND closed_at IS NOT NULL) AS c, (SELECT 'd' AS unit, 86400000 AS size UNION ALL SELECT 'h', 3600000 UNION ALL SELECT 'm', 60000) AS u
    WHERE true GROUP BY 1, 2, 3;--> statement-breakpoint
UPDATE report_time_zone SET rebuilt_at = rebuilt_at + 1;--> statement-breakpoint
CREATE TRIGGER `report_received_insert` AFTER INSERT ON `requests` BEGIN
	INSERT INTO report_months (month, received) VALUES (substr(new.received_on, 1, 7), 1) ON CONFLICT (month) DO UPDATE SET received = received + 1;
END;--> statement-breakpoint
CREATE TRIGGER `report_received_update` AFTER UPDATE OF `received_on` ON `requests` WHEN substr(new.received_on, 1, 7) IS NOT substr(old.received_on, 1, 7) BEGIN
	UPDATE report_months SET received = received - 1 WHERE month = substr(old.received_on, 1, 7);
	INSERT INTO report_months (month, received) VALUES (substr(new.received_on, 1, 7), 1) ON CONFLICT (month) DO UPDATE SET received = received + 1;
END;--> statement-breakpoint
CREATE TRIGGER `report_received_delete` AFTER DELETE ON `requests` BEGIN
	UPDATE report_months SET received = received - 1 WHERE month = substr(old.received_on, 1, 7);
END;--> statement-breakpoint
CREATE TRIGGER `report_closing_insert` AFTER INSERT ON `requests` WHEN new.status IN ('completed', 'denied') AND new.closed_at IS NOT NULL BEGIN
	INSERT INTO report_months (month, completed, denied, closing_changes) SELECT coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= new.closed_at AND s.ends_at > new.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', new.closed_at / 1000, 'unixepoch')), new.status = 'completed', new.status = 'denied', 1 WHERE new.status IN ('completed', 'denied') AND new.closed_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET completed = completed + excluded.completed, denied = denied + excluded.denied, closing_changes = closing_changes + 1;
	INSERT INTO report_close_times (unit, month, step, closings, took_ms) SELECT u.unit, coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= new.closed_at AND s.ends_at > new.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', new.closed_at / 1000, 'unixepoch')), ((CAST(new.closed_at - new.received_at AS INTEGER)) - ((CAST(new.closed_at - new.received_at AS INTEGER)) < 0) * (u.size - 1)) / u.size, 1, CAST(new.closed_at - new.received_at AS INTEGER) FROM (SELECT 'd' AS unit, 86400000 AS size UNION ALL SELECT 'h', 3600000 UNION ALL SELECT 'm', 60000) AS u WHERE new.status IN ('completed', 'denied') AND new.closed_at IS NOT NULL
    ON CONFLICT (unit, month, step) DO UPDATE SET closings = closings + 1, took_ms = took_ms + excluded.took_ms;
END;--> statement-breakpoint
CREATE TRIGGER `report_closing_update` AFTER UPDATE OF `status`, `closed_at`, `received_at` ON `requests` WHEN ((old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL) OR (new.status IN ('completed', 'denied') AND new.closed_at IS NOT NULL)) AND (new.status IS NOT old.status OR new.closed_at IS NOT old.closed_at OR new.received_at IS NOT old.received_at) BEGIN
	UPDATE report_months SET completed = completed - (old.status = 'completed'), denied = denied - (old.status = 'denied'), closing_changes = closing_changes + 1 WHERE old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL AND month = coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= old.closed_at AND s.ends_at > old.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', old.closed_at / 1000, 'unixepoch'));
	UPDATE report_close_times SET closings = closings - 1, took_ms = took_ms - (CAST(old.closed_at - old.received_at AS INTEGER)) WHERE old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL AND month = coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= old.closed_at AND s.ends_at > old.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', old.closed_at / 1000, 'unixepoch')) AND ((unit = 'd' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (86400000 - 1)) / 86400000) OR (unit = 'h' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (3600000 - 1)) / 3600000) OR (unit = 'm' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (60000 - 1)) / 60000));
	DELETE FROM report_close_times WHERE closings = 0 AND old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL AND month = coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= old.closed_at AND s.ends_at > old.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', old.closed_at / 1000, 'unixepoch')) AND ((unit = 'd' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (86400000 - 1)) / 86400000) OR (unit = 'h' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (3600000 - 1)) / 3600000) OR (unit = 'm' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (60000 - 1)) / 60000));
	INSERT INTO report_months (month, completed, denied, closing_changes) SELECT coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= new.closed_at AND s.ends_at > new.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', new.closed_at / 1000, 'unixepoch')), new.status = 'completed', new.status = 'denied', 1 WHERE new.status IN ('completed', 'denied') AND new.closed_at IS NOT NULL
    ON CONFLICT (month) DO UPDATE SET completed = completed + excluded.completed, denied = denied + excluded.denied, closing_changes = closing_changes + 1;
	INSERT INTO report_close_times (unit, month, step, closings, took_ms) SELECT u.unit, coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= new.closed_at AND s.ends_at > new.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', new.closed_at / 1000, 'unixepoch')), ((CAST(new.closed_at - new.received_at AS INTEGER)) - ((CAST(new.closed_at - new.received_at AS INTEGER)) < 0) * (u.size - 1)) / u.size, 1, CAST(new.closed_at - new.received_at AS INTEGER) FROM (SELECT 'd' AS unit, 86400000 AS size UNION ALL SELECT 'h', 3600000 UNION ALL SELECT 'm', 60000) AS u WHERE new.status IN ('completed', 'denied') AND new.closed_at IS NOT NULL
    ON CONFLICT (unit, month, step) DO UPDATE SET closings = closings + 1, took_ms = took_ms + excluded.took_ms;
END;--> statement-breakpoint
CREATE TRIGGER `report_closing_delete` AFTER DELETE ON `requests` WHEN old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL BEGIN
	UPDATE report_months SET completed = completed - (old.status = 'completed'), denied = denied - (old.status = 'denied'), closing_changes = closing_changes + 1 WHERE old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL AND month = coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= old.closed_at AND s.ends_at > old.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', old.closed_at / 1000, 'unixepoch'));
	UPDATE report_close_times SET closings = closings - 1, took_ms = took_ms - (CAST(old.closed_at - old.received_at AS INTEGER)) WHERE old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL AND month = coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= old.closed_at AND s.ends_at > old.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', old.closed_at / 1000, 'unixepoch')) AND ((unit = 'd' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (86400000 - 1)) / 86400000) OR (unit = 'h' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (3600000 - 1)) / 3600000) OR (unit = 'm' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (60000 - 1)) / 60000));
	DELETE FROM report_close_times WHERE closings = 0 AND old.status IN ('completed', 'denied') AND old.closed_at IS NOT NULL AND month = coalesce((SELECT s.month FROM report_month_spans s WHERE s.starts_at <= old.closed_at AND s.ends_at > old.closed_at ORDER BY s.starts_at DESC LIMIT 1), strftime('%Y-%m', old.closed_at / 1000, 'unixepoch')) AND ((unit = 'd' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (86400000 - 1)) / 86400000) OR (unit = 'h' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (3600000 - 1)) / 3600000) OR (unit = 'm' AND step = ((CAST(old.closed_at - old.received_at AS INTEGER)) - ((CAST(old.closed_at - old.received_at AS INTEGER)) < 0) * (60000 - 1)) / 60000));
END;
