import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

/** Tests that start real servers (PostgreSQL, MariaDB, Mailman): see lib/testing/servers/. */
const SERVER_TESTS = "**/*.servers.test.ts";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL("./", import.meta.url)) },
  },
  test: {
    environment: "node",
    pool: "forks",
    // Vitest's default is one fewer than the cores: a single worker on a 2-core machine. Many files wait on
    // child processes and servers they start (each on its own free port and temporary folder), so two at a time
    // keeps both cores busy.
    maxWorkers: 2,
    // Command tests start real processes; on a loaded 2-core machine that can take seconds.
    testTimeout: 30_000,
    // Bundles the programs the tests start as processes of their own, once for the run: see lib/testing/script-bundles.ts.
    globalSetup: ["lib/testing/bundle-scripts.global.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Each worker keeps the modules it has loaded from one file to the next instead of loading them afresh
          // for every file: loading was half the run (86 s of 176 on 2 cores; 97–111 s for the whole run since). What
          // the code under test keeps in its modules is kept per database connection (prepared statements, kept
          // answers), and each test opens its own, so nothing carries from one file to the next.
          isolate: false,
          include: ["lib/**/*.test.ts", "db/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: [...configDefaults.exclude, SERVER_TESTS],
        },
      },
      {
        extends: true,
        test: {
          name: "servers",
          include: [SERVER_TESTS],
          // Each file starts its server once in beforeAll: a first initdb or mariadb-install-db on a busy machine takes a while.
          hookTimeout: 180_000,
          testTimeout: 60_000,
        },
      },
    ],
  },
});
