CREATE INDEX `accounts_user_idx` ON `accounts` (`userId`);--> statement-breakpoint
CREATE INDEX `request_drafts_email_idx` ON `request_drafts` (`email`);