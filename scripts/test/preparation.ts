/**
 * What `npm test` does before it runs anything: make sure there is a browser
 * for the end-to-end tests and the servers the server tests start, installing
 * what is missing where it can, or stopping with one sentence saying what to
 * install. The machine is handed in (see machine.ts for the real one), so the
 * choices can be tested on their own.
 */
import { browserExecutable } from "./browser";
import {
  CHROMIUM_PACKAGE,
  HEADLESS_SHELL_PACKAGE,
  locatePrograms,
  SERVER_REQUIREMENTS,
  SYSTEM_CHROMIUM,
  SYSTEM_HEADLESS_SHELL,
  type ServerRequirement,
} from "../../lib/testing/servers/requirements";

export type Machine = {
  /** The CHROMIUM_PATH setting, if any. */
  chromiumPath: string | undefined;
  exists(file: string): boolean;
  /** Running as root, where each server runs as its own system user. */
  isRoot: boolean;
  /** Whether a system user exists (the server packages create theirs). */
  userExists(name: string): boolean;
  /** Root on a machine with apt-get: Debian packages can be installed. */
  canInstallDebianPackages: boolean;
  /** `apt-get install` of the packages with no service started; true when it succeeded. */
  aptInstall(packages: string[]): Promise<boolean>;
  /** `apt-get update`; true when it succeeded. */
  aptUpdate(): Promise<boolean>;
  /** `playwright install chromium`: true when Playwright's own browser is there afterwards (already or downloaded). */
  playwrightInstall(): Promise<boolean>;
  log(line: string): void;
};

export type Browser = { kind: "executable"; path: string } | { kind: "playwright" };

export type Preparation =
  | { ok: true; browser: Browser; servers: { name: string; programs: Record<string, string> }[] }
  | { ok: false; sentence: string };

export async function prepareMachine(machine: Machine): Promise<Preparation> {
  const browser = await getBrowser(machine);
  if ("sentence" in browser) return { ok: false, sentence: browser.sentence };
  const servers = await getServers(machine);
  if ("sentence" in servers) return { ok: false, sentence: servers.sentence };
  return { ok: true, browser, servers };
}

async function getBrowser(machine: Machine): Promise<Browser | { sentence: string }> {
  if (machine.chromiumPath) {
    return machine.exists(machine.chromiumPath)
      ? { kind: "executable", path: machine.chromiumPath }
      : { sentence: `CHROMIUM_PATH is ${machine.chromiumPath}, which does not exist: set it to a Chromium or Chrome executable, or unset it to use ${SYSTEM_CHROMIUM}.` };
  }
  if (machine.exists(SYSTEM_HEADLESS_SHELL)) return { kind: "executable", path: SYSTEM_HEADLESS_SHELL };

  if (machine.canInstallDebianPackages) {
    // The headless shell, even beside a full Chromium: the end-to-end tests are bound by the processor, and it spends
    // about half the full browser's time on the same pages.
    machine.log(`Installing Debian's headless Chromium (${HEADLESS_SHELL_PACKAGE}) for the end-to-end tests…`);
    await installDebianPackages(machine, [HEADLESS_SHELL_PACKAGE]);
    if (machine.exists(SYSTEM_HEADLESS_SHELL)) return { kind: "executable", path: SYSTEM_HEADLESS_SHELL };
    if (machine.exists(SYSTEM_CHROMIUM)) {
      machine.log("It could not be installed; the tests use Debian's Chromium, which is there.");
      return { kind: "executable", path: SYSTEM_CHROMIUM };
    }
    machine.log(`It could not be installed; installing Debian's Chromium (${CHROMIUM_PACKAGE})…`);
    await installDebianPackages(machine, [CHROMIUM_PACKAGE]);
    if (machine.exists(SYSTEM_CHROMIUM)) return { kind: "executable", path: SYSTEM_CHROMIUM };
    machine.log("Debian's Chromium could not be installed; trying Playwright's own browser…");
  } else {
    const present = browserExecutable(undefined, machine.exists);
    if (present) return { kind: "executable", path: present };
  }
  if (await machine.playwrightInstall()) return { kind: "playwright" };
  return {
    sentence:
      `npm test needs a browser for its end-to-end tests: install Chromium (on Debian, as root: apt-get install ${CHROMIUM_PACKAGE}) ` +
      "or set CHROMIUM_PATH to a Chromium or Chrome executable, then run it again.",
  };
}

type LocatedServer = { name: string; programs: Record<string, string> };

async function getServers(machine: Machine): Promise<LocatedServer[] | { sentence: string }> {
  const locate = (): { found: LocatedServer[]; missing: ServerRequirement[] } => {
    const found: LocatedServer[] = [];
    const missing: ServerRequirement[] = [];
    for (const requirement of SERVER_REQUIREMENTS) {
      const programs = locatePrograms(requirement, machine.exists);
      // Under root the server runs as the user its package creates, so programs alone (a leftover -core package, say) are not enough.
      const runnable = programs && (!machine.isRoot || machine.userExists(requirement.user));
      if (runnable) found.push({ name: requirement.name, programs });
      else missing.push(requirement);
    }
    return { found, missing };
  };

  const first = locate();
  if (first.missing.length === 0) return first.found;
  const names = sentenceList(first.missing.map((r) => r.name));
  const packages = first.missing.map((r) => r.debianPackage).join(" ");
  const one = first.missing.length === 1;
  if (!machine.canInstallDebianPackages) {
    return {
      sentence:
        `npm test starts ${names} for its server tests, which ${one ? "is" : "are"} not installed here: ` +
        `install ${one ? "it" : "them"} (on Debian, as root: apt-get install --no-install-recommends ${packages}), then run it again.`,
    };
  }

  machine.log(`Installing ${names} for the server tests (${packages}); no service is started…`);
  await installDebianPackages(machine, first.missing.map((r) => r.debianPackage));
  const second = locate();
  if (second.missing.length === 0) return second.found;
  return {
    sentence:
      `apt-get could not install ${second.missing.map((r) => r.debianPackage).join(" ")} (its output is above), ` +
      `which npm test needs for its server tests: install ${second.missing.length === 1 ? "it" : "them"}, then run it again.`,
  };
}

/** Installs, and only when that fails (typically for want of package lists) updates the lists and tries once more. */
async function installDebianPackages(machine: Machine, packages: string[]): Promise<boolean> {
  if (await machine.aptInstall(packages)) return true;
  machine.log("apt-get install failed; updating the package lists and trying again…");
  if (!(await machine.aptUpdate())) return false;
  return machine.aptInstall(packages);
}

function sentenceList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
