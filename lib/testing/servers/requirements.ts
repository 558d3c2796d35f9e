/**
 * What the test suite needs installed on the machine, in one table: the
 * browser and the three servers the server tests start (PostgreSQL, MariaDB,
 * Mailman 3 core). `npm test`'s preparation (scripts/test/prepare.ts) reads it
 * to install what is missing; the server harness reads it to find the programs.
 * Only tests and that preparation import this.
 */

/** Debian's Chromium; CHROMIUM_PATH names any other Chromium or Chrome. */
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

/** The Debian package that provides SYSTEM_CHROMIUM. */
export const CHROMIUM_PACKAGE = "chromium";

/**
 * Debian's headless shell of the same Chromium (the engine without the
 * browser's own windows, GPU process and services), what Playwright itself
 * runs headless tests in: on the suite's pages it spent 44 % less processor
 * time than the full browser, and the end-to-end tests are bound by the
 * processor. Preferred when it is there, or can be installed.
 */
export const SYSTEM_HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";

/** The Debian package that provides SYSTEM_HEADLESS_SHELL. */
export const HEADLESS_SHELL_PACKAGE = "chromium-headless-shell";

export type ServerRequirement<Program extends string = string> = {
  /** How a person would name it in a sentence. */
  name: string;
  /** The Debian package that brings it. */
  debianPackage: string;
  /**
   * The system service the package installs: kept from starting while it is
   * installed, and stopped and disabled afterwards, since the tests start
   * their own server and nothing else should be running.
   */
  systemService: string;
  /** The unprivileged user it runs as when the tests run as root (the package creates it). */
  user: string;
  /** The places an installation may be, each naming every program the harness runs; the first complete one wins. */
  installations: readonly Record<Program, string>[];
};

/** Debian keeps each PostgreSQL major version in its own folder; 15 is bookworm's, the newer ones are later releases'. */
const POSTGRES_VERSIONS = [15, 16, 17, 18] as const;

export const POSTGRES: ServerRequirement<"initdb" | "postgres"> = {
  name: "PostgreSQL",
  // The distribution's current major version (15 on bookworm), not a pinned one that a later release drops.
  debianPackage: "postgresql",
  systemService: "postgresql",
  user: "postgres",
  // initdb and postgres must be of one version: a cluster is only for the postgres that made it.
  installations: POSTGRES_VERSIONS.map((v) => ({
    initdb: `/usr/lib/postgresql/${v}/bin/initdb`,
    postgres: `/usr/lib/postgresql/${v}/bin/postgres`,
  })),
};

export const MARIADB: ServerRequirement<"installDb" | "mariadbd"> = {
  name: "MariaDB",
  debianPackage: "mariadb-server",
  systemService: "mariadb",
  user: "mysql",
  installations: [{ installDb: "/usr/bin/mariadb-install-db", mariadbd: "/usr/sbin/mariadbd" }],
};

export const MAILMAN: ServerRequirement<"master"> = {
  name: "Mailman 3",
  debianPackage: "mailman3",
  systemService: "mailman3",
  user: "list",
  // The master process in the foreground (`mailman start` would detach it), which starts the runners.
  installations: [{ master: "/usr/lib/mailman3/bin/master" }],
};

export const SERVER_REQUIREMENTS: readonly ServerRequirement[] = [POSTGRES, MARIADB, MAILMAN];

/**
 * Where each of a server's programs is, or null when it is not installed.
 * `exists` is the file check, handed in so the choice can be tested on its own.
 */
export function locatePrograms<Program extends string>(
  requirement: ServerRequirement<Program>,
  exists: (file: string) => boolean,
): Record<Program, string> | null {
  return requirement.installations.find((programs) => Object.values<string>(programs).every((file) => exists(file))) ?? null;
}
