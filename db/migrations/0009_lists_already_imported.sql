-- Every list the subscriptions imported so far name becomes a mailing list the preference centre offers.
INSERT OR IGNORE INTO `mailing_lists` (`name`, `title`, `description`, `created_at`, `updated_at`, `updated_by`)
SELECT DISTINCT `list`, NULL, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL
FROM `subscriptions`;
