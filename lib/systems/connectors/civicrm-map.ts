/**
 * The ready dataset map for CiviCRM's core tables on MySQL/MariaDB, so a
 * CiviCRM organisation only enters the connection. It follows CiviCRM's own
 * way of forgetting someone while keeping the books: the person is found by
 * their address in civicrm_email; their addresses, phones, group
 * memberships, memberships and activity links are deleted; the contact row
 * stays, anonymised, so contributions inside the tax period keep a contact
 * to hang off (older ones are deleted); activities they took part in stay
 * with their subject and details removed, since other contacts may share them.
 * An unsubscribe sets the contact's "no bulk email" flag (is_opt_out), which
 * CiviMail honours for every mailing.
 */
export const CIVICRM_MAP_YAML = `# Rightsdesk dataset map for CiviCRM (5.x) on MySQL or MariaDB.
# Copy it and change what your organisation needs; see "Dataset maps" in the README.
version: 1
supporter:
  table: civicrm_email
  email: email

tables:
  civicrm_email:
    label: Email address
    erase: delete
    columns:
      email: { category: contact, correct: email }
      location_type_id: { category: contact }
      is_primary: { category: contact }
      on_hold: { category: subscription }
      signature_text: { category: correspondence }
      signature_html: { category: correspondence }

  civicrm_contact:
    label: Contact record
    parent: civicrm_email
    join: { column: id, parentColumn: contact_id }
    erase: mask
    unsubscribe: { set: { is_opt_out: 1 } }
    columns:
      contact_type: { category: contact }
      first_name: { category: contact, correct: { field: name, part: first }, erase: "null" }
      middle_name: { category: contact, erase: "null" }
      last_name: { category: contact, correct: { field: name, part: last }, erase: "null" }
      display_name: { category: contact, correct: name, erase: { value: "Anonymous" } }
      sort_name: { category: contact, correct: { field: name, part: sort }, erase: { value: "Anonymous" } }
      nick_name: { category: contact, erase: "null" }
      legal_name: { category: contact, erase: "null" }
      formal_title: { category: contact, erase: "null" }
      job_title: { category: contact, erase: "null" }
      organization_name: { category: contact, erase: "null" }
      household_name: { category: contact, erase: "null" }
      birth_date: { category: contact, erase: "null" }
      email_greeting_display: { category: contact, erase: "null" }
      postal_greeting_display: { category: contact, erase: "null" }
      addressee_display: { category: contact, erase: "null" }
      external_identifier: { category: other, erase: "null" }
      legal_identifier: { category: other, erase: "null" }
      image_URL: { category: other, erase: "null" }
      source: { category: other, erase: "null" }
      preferred_language: { category: other }
      hash: { category: other, erase: "null" }
      api_key: { category: other, erase: "null" }
      do_not_email: { category: subscription, erase: { value: 1 } }
      do_not_phone: { category: subscription, erase: { value: 1 } }
      do_not_mail: { category: subscription, erase: { value: 1 } }
      do_not_sms: { category: subscription, erase: { value: 1 } }
      is_opt_out: { category: subscription, erase: { value: 1 } }
      is_deleted: { category: other, erase: { value: 1 } }
      created_date: { category: other }

  civicrm_email_other:
    table: civicrm_email
    label: Other email addresses
    parent: civicrm_contact
    join: { column: contact_id, parentColumn: id }
    erase: delete
    columns:
      email: { category: contact }
      location_type_id: { category: contact }
      is_primary: { category: contact }

  civicrm_address:
    label: Postal addresses
    parent: civicrm_contact
    join: { column: contact_id, parentColumn: id }
    erase: delete
    columns:
      location_type_id: { category: contact }
      is_primary: { category: contact }
      street_address: { category: contact }
      supplemental_address_1: { category: contact }
      supplemental_address_2: { category: contact }
      supplemental_address_3: { category: contact }
      city: { category: contact }
      postal_code: { category: contact }
      country_id: { category: contact }
      geo_code_1: { category: contact }
      geo_code_2: { category: contact }

  civicrm_phone:
    label: Phone numbers
    parent: civicrm_contact
    join: { column: contact_id, parentColumn: id }
    erase: delete
    columns:
      location_type_id: { category: contact }
      is_primary: { category: contact }
      phone: { category: contact }
      phone_ext: { category: contact }
      phone_type_id: { category: contact }

  civicrm_contribution:
    label: Contributions
    parent: civicrm_contact
    join: { column: contact_id, parentColumn: id }
    erase:
      keep: { years: 6, from: receive_date, reason: "Tax law: donation records are kept for six years" }
    columns:
      receive_date: { category: donation }
      total_amount: { category: donation }
      currency: { category: donation }
      financial_type_id: { category: donation }
      payment_instrument_id: { category: donation }
      contribution_status_id: { category: donation }
      trxn_id: { category: donation }
      invoice_id: { category: donation }
      check_number: { category: donation, erase: "null" }
      source: { category: donation, erase: "null" }
      amount_level: { category: donation, erase: "null" }
      cancel_reason: { category: donation, erase: "null" }

  civicrm_membership:
    label: Memberships
    parent: civicrm_contact
    join: { column: contact_id, parentColumn: id }
    erase: delete
    columns:
      membership_type_id: { category: membership }
      join_date: { category: membership }
      start_date: { category: membership }
      end_date: { category: membership }
      status_id: { category: membership }
      source: { category: membership }

  civicrm_group_contact:
    label: Groups and mailing lists
    parent: civicrm_contact
    join: { column: contact_id, parentColumn: id }
    erase: delete
    columns:
      group_id: { category: subscription }
      status: { category: subscription }

  civicrm_activity_contact:
    label: Part in activities
    parent: civicrm_contact
    join: { column: contact_id, parentColumn: id }
    erase: delete
    columns:
      activity_id: { category: correspondence }
      record_type_id: { category: correspondence }

  civicrm_activity:
    label: Activities
    parent: civicrm_activity_contact
    join: { column: id, parentColumn: activity_id }
    erase: mask
    columns:
      activity_type_id: { category: correspondence }
      activity_date_time: { category: correspondence }
      subject: { category: correspondence, erase: { value: "[Removed at the supporter's request]" } }
      details: { category: correspondence, erase: "null" }
      location: { category: correspondence, erase: "null" }
      phone_number: { category: correspondence, erase: "null" }
      result: { category: correspondence, erase: "null" }
`;
