/** Variables global setup exports to the test workers (workers are forked after it runs). */
export type HarnessEnvName =
  | "E2E_BASE_URL"
  | "E2E_INBOX_DIR"
  | "E2E_DB_PATH"
  | "E2E_TMP_DIR"
  | "E2E_SERVER_LOG"
  | "E2E_SMTP_CONTROL_URL";

/** Reads a harness variable, failing loudly because a missing one means global setup did not run. */
export function harnessEnv(name: HarnessEnvName): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. Run the suite through \`npx playwright test\` so e2e/support/global-setup.ts runs first.`,
    );
  }
  return value;
}
