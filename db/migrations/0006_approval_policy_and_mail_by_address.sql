CREATE TABLE `approval_policy` (
	`id` integer PRIMARY KEY NOT NULL,
	`erasure_needs_two_approvals` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_to_idx` ON `mail_outbox` (`to_address`);