/**
 * Real servers for tests: PostgreSQL, MariaDB and Mailman 3 core, each
 * started on 127.0.0.1 on a free port in a temporary folder, as its own
 * system user when the tests run as root, and stopped (its folder deleted)
 * by `stop`, or by a watchdog if the test process dies first. `npm test`
 * installs the Debian packages they come from (scripts/test/prepare.ts).
 * Start one per test file, in beforeAll, and stop it in afterAll; name the
 * file *.servers.test.ts so it runs in the vitest project for these.
 */
export type { DatabaseConnection, DatabaseServer } from "./database-server";
export { startMailman, type MailmanOptions, type MailmanServer } from "./mailman";
export { startMariaDb } from "./mariadb";
export { startPostgres } from "./postgres";
