/**
 * A CiviCRM-shaped database for tests: the core tables the ready map names,
 * with CiviCRM's own column names, types, keys and foreign keys (and a few
 * tables it does not map, as a real installation has), on MariaDB. Only
 * tests (and the end-to-end harness) import this.
 */
import type mysql from "mysql2/promise";

export const CIVICRM_TABLES = `
CREATE TABLE civicrm_contact (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  contact_type VARCHAR(64) NULL, contact_sub_type VARCHAR(255) NULL,
  do_not_email TINYINT NOT NULL DEFAULT 0, do_not_phone TINYINT NOT NULL DEFAULT 0, do_not_mail TINYINT NOT NULL DEFAULT 0,
  do_not_sms TINYINT NOT NULL DEFAULT 0, do_not_trade TINYINT NOT NULL DEFAULT 0, is_opt_out TINYINT NOT NULL DEFAULT 0,
  legal_identifier VARCHAR(32) NULL, external_identifier VARCHAR(64) NULL, sort_name VARCHAR(128) NULL, display_name VARCHAR(128) NULL,
  nick_name VARCHAR(128) NULL, legal_name VARCHAR(128) NULL, image_URL TEXT NULL, preferred_communication_method VARCHAR(255) NULL,
  preferred_language VARCHAR(5) NULL, hash VARCHAR(32) NULL, api_key VARCHAR(32) NULL, source VARCHAR(255) NULL,
  first_name VARCHAR(64) NULL, middle_name VARCHAR(64) NULL, last_name VARCHAR(64) NULL, prefix_id INT UNSIGNED NULL, suffix_id INT UNSIGNED NULL,
  formal_title VARCHAR(64) NULL, email_greeting_display VARCHAR(255) NULL, postal_greeting_display VARCHAR(255) NULL,
  addressee_display VARCHAR(255) NULL, job_title VARCHAR(255) NULL, gender_id INT UNSIGNED NULL, birth_date DATE NULL,
  is_deceased TINYINT NOT NULL DEFAULT 0, deceased_date DATE NULL, household_name VARCHAR(128) NULL, organization_name VARCHAR(128) NULL,
  employer_id INT UNSIGNED NULL, is_deleted TINYINT NOT NULL DEFAULT 0, created_date TIMESTAMP NULL DEFAULT NULL,
  modified_date TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  UNIQUE KEY UI_external_identifier (external_identifier), KEY index_sort_name (sort_name),
  CONSTRAINT FK_civicrm_contact_employer_id FOREIGN KEY (employer_id) REFERENCES civicrm_contact (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_email (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, contact_id INT UNSIGNED NULL, location_type_id INT UNSIGNED NULL,
  email VARCHAR(254) NULL, is_primary TINYINT NOT NULL DEFAULT 0, is_billing TINYINT NOT NULL DEFAULT 0, on_hold TINYINT NOT NULL DEFAULT 0,
  is_bulkmail TINYINT NOT NULL DEFAULT 0, hold_date DATETIME NULL, reset_date DATETIME NULL, signature_text TEXT NULL, signature_html TEXT NULL,
  KEY index_email (email),
  CONSTRAINT FK_civicrm_email_contact_id FOREIGN KEY (contact_id) REFERENCES civicrm_contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_address (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, contact_id INT UNSIGNED NULL, location_type_id INT UNSIGNED NULL,
  is_primary TINYINT NOT NULL DEFAULT 0, is_billing TINYINT NOT NULL DEFAULT 0, street_address VARCHAR(96) NULL, street_number INT NULL,
  supplemental_address_1 VARCHAR(96) NULL, supplemental_address_2 VARCHAR(96) NULL, supplemental_address_3 VARCHAR(96) NULL,
  city VARCHAR(64) NULL, county_id INT UNSIGNED NULL, state_province_id INT UNSIGNED NULL, postal_code VARCHAR(64) NULL,
  country_id INT UNSIGNED NULL, geo_code_1 DOUBLE NULL, geo_code_2 DOUBLE NULL, name VARCHAR(255) NULL,
  CONSTRAINT FK_civicrm_address_contact_id FOREIGN KEY (contact_id) REFERENCES civicrm_contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_phone (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, contact_id INT UNSIGNED NULL, location_type_id INT UNSIGNED NULL,
  is_primary TINYINT NOT NULL DEFAULT 0, is_billing TINYINT NOT NULL DEFAULT 0, mobile_provider_id INT UNSIGNED NULL,
  phone VARCHAR(32) NULL, phone_ext VARCHAR(16) NULL, phone_numeric VARCHAR(32) NULL, phone_type_id INT UNSIGNED NULL,
  CONSTRAINT FK_civicrm_phone_contact_id FOREIGN KEY (contact_id) REFERENCES civicrm_contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_contribution (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, contact_id INT UNSIGNED NOT NULL, financial_type_id INT UNSIGNED NULL,
  contribution_page_id INT UNSIGNED NULL, payment_instrument_id INT UNSIGNED NULL, receive_date DATETIME NULL,
  non_deductible_amount DECIMAL(20,2) DEFAULT 0, total_amount DECIMAL(20,2) NOT NULL, fee_amount DECIMAL(20,2) NULL, net_amount DECIMAL(20,2) NULL,
  trxn_id VARCHAR(255) NULL, invoice_id VARCHAR(255) NULL, invoice_number VARCHAR(255) NULL, currency VARCHAR(3) NULL,
  cancel_date DATETIME NULL, cancel_reason TEXT NULL, receipt_date DATETIME NULL, thankyou_date DATETIME NULL, source VARCHAR(255) NULL,
  amount_level TEXT NULL, contribution_recur_id INT UNSIGNED NULL, is_test TINYINT DEFAULT 0, is_pay_later TINYINT DEFAULT 0,
  contribution_status_id INT UNSIGNED DEFAULT 1, address_id INT UNSIGNED NULL, check_number VARCHAR(255) NULL, campaign_id INT UNSIGNED NULL,
  creditnote_id VARCHAR(255) NULL, tax_amount DECIMAL(20,2) DEFAULT 0, revenue_recognition_date DATETIME NULL, is_template TINYINT NOT NULL DEFAULT 0,
  UNIQUE KEY UI_contrib_trxn_id (trxn_id), UNIQUE KEY UI_contrib_invoice_id (invoice_id), KEY received_date (receive_date),
  CONSTRAINT FK_civicrm_contribution_contact_id FOREIGN KEY (contact_id) REFERENCES civicrm_contact (id) ON DELETE CASCADE,
  CONSTRAINT FK_civicrm_contribution_address_id FOREIGN KEY (address_id) REFERENCES civicrm_address (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_line_item (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, entity_table VARCHAR(64) NOT NULL, entity_id INT UNSIGNED NOT NULL,
  contribution_id INT UNSIGNED NULL, label VARCHAR(255) NULL, qty DECIMAL(20,2) NOT NULL, unit_price DECIMAL(20,2) NOT NULL, line_total DECIMAL(20,2) NOT NULL,
  CONSTRAINT FK_civicrm_line_item_contribution_id FOREIGN KEY (contribution_id) REFERENCES civicrm_contribution (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_membership (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, contact_id INT UNSIGNED NOT NULL, membership_type_id INT UNSIGNED NOT NULL,
  join_date DATE NULL, start_date DATE NULL, end_date DATE NULL, source VARCHAR(128) NULL, status_id INT UNSIGNED NOT NULL,
  is_override TINYINT NOT NULL DEFAULT 0, status_override_end_date DATE NULL, owner_membership_id INT UNSIGNED NULL, max_related INT NULL,
  is_test TINYINT NOT NULL DEFAULT 0, is_pay_later TINYINT NOT NULL DEFAULT 0, contribution_recur_id INT UNSIGNED NULL, campaign_id INT UNSIGNED NULL,
  CONSTRAINT FK_civicrm_membership_contact_id FOREIGN KEY (contact_id) REFERENCES civicrm_contact (id) ON DELETE CASCADE,
  CONSTRAINT FK_civicrm_membership_owner_membership_id FOREIGN KEY (owner_membership_id) REFERENCES civicrm_membership (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_membership_payment (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, membership_id INT UNSIGNED NOT NULL, contribution_id INT UNSIGNED NULL,
  CONSTRAINT FK_civicrm_membership_payment_membership_id FOREIGN KEY (membership_id) REFERENCES civicrm_membership (id) ON DELETE CASCADE,
  CONSTRAINT FK_civicrm_membership_payment_contribution_id FOREIGN KEY (contribution_id) REFERENCES civicrm_contribution (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_group (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NULL, title VARCHAR(255) NULL, group_type VARCHAR(128) NULL,
  is_active TINYINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_group_contact (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, group_id INT UNSIGNED NOT NULL, contact_id INT UNSIGNED NOT NULL,
  status VARCHAR(8) NULL, location_id INT UNSIGNED NULL, email_id INT UNSIGNED NULL,
  UNIQUE KEY UI_contact_group (contact_id, group_id),
  CONSTRAINT FK_civicrm_group_contact_group_id FOREIGN KEY (group_id) REFERENCES civicrm_group (id) ON DELETE CASCADE,
  CONSTRAINT FK_civicrm_group_contact_contact_id FOREIGN KEY (contact_id) REFERENCES civicrm_contact (id) ON DELETE CASCADE,
  CONSTRAINT FK_civicrm_group_contact_email_id FOREIGN KEY (email_id) REFERENCES civicrm_email (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_activity (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, source_record_id INT UNSIGNED NULL, activity_type_id INT UNSIGNED NOT NULL DEFAULT 1,
  subject VARCHAR(255) NULL, activity_date_time DATETIME NULL, duration INT UNSIGNED NULL, location VARCHAR(2048) NULL,
  phone_id INT UNSIGNED NULL, phone_number VARCHAR(64) NULL, details LONGTEXT NULL, status_id INT UNSIGNED NULL, priority_id INT UNSIGNED NULL,
  parent_id INT UNSIGNED NULL, is_test TINYINT DEFAULT 0, medium_id INT UNSIGNED NULL, is_auto TINYINT DEFAULT 0,
  is_current_revision TINYINT DEFAULT 1, original_id INT UNSIGNED NULL, result VARCHAR(255) NULL, is_deleted TINYINT DEFAULT 0,
  campaign_id INT UNSIGNED NULL, created_date TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT FK_civicrm_activity_phone_id FOREIGN KEY (phone_id) REFERENCES civicrm_phone (id) ON DELETE SET NULL,
  CONSTRAINT FK_civicrm_activity_parent_id FOREIGN KEY (parent_id) REFERENCES civicrm_activity (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE civicrm_activity_contact (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, activity_id INT UNSIGNED NOT NULL, contact_id INT UNSIGNED NOT NULL,
  record_type_id INT UNSIGNED NULL,
  UNIQUE KEY UI_activity_contact (contact_id, activity_id, record_type_id),
  CONSTRAINT FK_civicrm_activity_contact_activity_id FOREIGN KEY (activity_id) REFERENCES civicrm_activity (id) ON DELETE CASCADE,
  CONSTRAINT FK_civicrm_activity_contact_contact_id FOREIGN KEY (contact_id) REFERENCES civicrm_contact (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
`;

/** Creates the tables, one statement at a time (the connection runs one per call). */
export async function createCivicrmTables(connection: mysql.Connection): Promise<void> {
  for (const statement of CIVICRM_TABLES.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await connection.query(statement);
}

/**
 * One CiviCRM supporter with a row in every mapped table: two email
 * addresses, an address, a phone, a recent and an old contribution, a
 * membership, two groups, and an activity shared with a member of staff.
 * Returns the contact's id.
 */
export async function addCivicrmSupporter(
  connection: mysql.Connection,
  person: { email: string; first: string; last: string; otherEmail?: string; recentGiftOn: string; oldGiftOn: string },
): Promise<number> {
  const display = `${person.first} ${person.last}`;
  const [contact] = await connection.execute<mysql.ResultSetHeader>(
    `INSERT INTO civicrm_contact (contact_type, first_name, last_name, display_name, sort_name, email_greeting_display, addressee_display, external_identifier, hash, source, created_date)
     VALUES ('Individual', ?, ?, ?, ?, ?, ?, ?, 'abcdef0123456789', 'Petition: Clean rivers', '2020-01-01 10:00:00')`,
    [person.first, person.last, display, `${person.last}, ${person.first}`, `Dear ${person.first}`, display, `crm-${person.email}`],
  );
  const id = contact.insertId;
  const [email] = await connection.execute<mysql.ResultSetHeader>(
    "INSERT INTO civicrm_email (contact_id, location_type_id, email, is_primary, signature_text) VALUES (?, 1, ?, 1, ?)",
    [id, person.email, `Regards, ${person.first} (${person.email})`],
  );
  if (person.otherEmail) await connection.execute("INSERT INTO civicrm_email (contact_id, location_type_id, email, is_primary) VALUES (?, 2, ?, 0)", [id, person.otherEmail]);
  await connection.execute(
    "INSERT INTO civicrm_address (contact_id, location_type_id, is_primary, street_address, city, postal_code, country_id) VALUES (?, 1, 1, '1 High Street', 'London', 'N1 1AA', 1226)",
    [id],
  );
  const [phone] = await connection.execute<mysql.ResultSetHeader>("INSERT INTO civicrm_phone (contact_id, location_type_id, is_primary, phone, phone_type_id) VALUES (?, 1, 1, '+44 20 7946 0000', 1)", [id]);
  const [recent] = await connection.execute<mysql.ResultSetHeader>(
    "INSERT INTO civicrm_contribution (contact_id, financial_type_id, payment_instrument_id, receive_date, total_amount, currency, trxn_id, source, check_number) VALUES (?, 1, 1, ?, 25.00, 'GBP', ?, ?, '000123')",
    [id, `${person.recentGiftOn} 09:30:00`, `ch_${id}_recent`, `Online gift from ${person.email}`],
  );
  await connection.execute(
    "INSERT INTO civicrm_contribution (contact_id, financial_type_id, payment_instrument_id, receive_date, total_amount, currency, trxn_id) VALUES (?, 1, 4, ?, 10.00, 'GBP', ?)",
    [id, `${person.oldGiftOn} 09:30:00`, `ch_${id}_old`],
  );
  await connection.execute("INSERT INTO civicrm_line_item (entity_table, entity_id, contribution_id, label, qty, unit_price, line_total) VALUES ('civicrm_contribution', ?, ?, 'Gift', 1, 25, 25)", [recent.insertId, recent.insertId]);
  const [membership] = await connection.execute<mysql.ResultSetHeader>(
    "INSERT INTO civicrm_membership (contact_id, membership_type_id, join_date, start_date, end_date, source, status_id) VALUES (?, 1, '2024-01-01', '2024-01-01', '2026-12-31', 'Website', 2)",
    [id],
  );
  await connection.execute("INSERT INTO civicrm_membership_payment (membership_id, contribution_id) VALUES (?, ?)", [membership.insertId, recent.insertId]);
  const [groups] = await connection.query<mysql.RowDataPacket[]>("SELECT id FROM civicrm_group ORDER BY id");
  for (const group of groups) {
    await connection.execute("INSERT INTO civicrm_group_contact (group_id, contact_id, status, email_id) VALUES (?, ?, 'Added', ?)", [group.id, id, email.insertId]);
  }
  const [activity] = await connection.execute<mysql.ResultSetHeader>(
    "INSERT INTO civicrm_activity (activity_type_id, subject, activity_date_time, details, phone_id, phone_number) VALUES (2, ?, '2026-03-01 14:00:00', ?, ?, '+44 20 7946 0000')",
    [`Call with ${display}`, `Spoke to ${person.first} at ${person.email} about the spring appeal.`, phone.insertId],
  );
  await connection.execute("INSERT INTO civicrm_activity_contact (activity_id, contact_id, record_type_id) VALUES (?, ?, 3)", [activity.insertId, id]);
  return id;
}

/** The groups a CiviCRM site starts with for these tests: a newsletter (a mailing list) and a volunteers group. */
export async function addCivicrmGroups(connection: mysql.Connection): Promise<void> {
  await connection.query("INSERT INTO civicrm_group (name, title, group_type, is_active) VALUES ('Newsletter', 'Newsletter', '\\u00012\\u0001', 1), ('Volunteers', 'Volunteers', '\\u00011\\u0001', 1)");
}
