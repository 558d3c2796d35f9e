import { describe, expect, it } from "vitest";
import { MAILMAN, MARIADB, POSTGRES, SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL, type ServerRequirement } from "../../lib/testing/servers/requirements";
import { browserExecutable } from "./browser";
import { type Machine, prepareMachine } from "./preparation";

/** The system user each Debian package creates. */
const PACKAGE_USERS: Record<string, string> = { postgresql: "postgres", "mariadb-server": "mysql", mailman3: "list" };

/** The files each Debian package brings, so a fake install makes them exist. */
const filesOf = (requirement: ServerRequirement): string[] => Object.values(requirement.installations[0] ?? {});
const PACKAGE_FILES: Record<string, string[]> = {
  chromium: [SYSTEM_CHROMIUM],
  "chromium-headless-shell": [SYSTEM_HEADLESS_SHELL],
  postgresql: filesOf(POSTGRES),
  "mariadb-server": filesOf(MARIADB),
  mailman3: filesOf(MAILMAN),
};
const ALL_SERVERS = [...filesOf(POSTGRES), ...filesOf(MARIADB), ...filesOf(MAILMAN)];

type Scenario = {
  chromiumPath?: string;
  files: string[];
  /** The system users there are; by default the servers' own, as their packages left them. */
  users?: string[];
  root?: boolean;
  /** What each apt-get install answers, in turn (true: installed). */
  installs?: boolean[];
  update?: boolean;
  playwright?: boolean;
};

/** A machine whose files and commands are the scenario's, recording each command it is asked to run. */
function fakeMachine(scenario: Scenario): { machine: Machine; calls: string[] } {
  const files = new Set(scenario.files);
  const users = new Set(scenario.users ?? Object.values(PACKAGE_USERS));
  const installs = [...(scenario.installs ?? [])];
  const calls: string[] = [];
  const machine: Machine = {
    chromiumPath: scenario.chromiumPath,
    exists: (file) => files.has(file),
    isRoot: scenario.root ?? false,
    userExists: (name) => users.has(name),
    canInstallDebianPackages: scenario.root ?? false,
    async aptInstall(packages) {
      calls.push(`apt-get install ${packages.join(" ")}`);
      const ok = installs.shift() ?? false;
      if (!ok) return false;
      for (const name of packages) {
        for (const file of PACKAGE_FILES[name] ?? []) files.add(file);
        const user = PACKAGE_USERS[name];
        if (user) users.add(user);
      }
      return true;
    },
    async aptUpdate() {
      calls.push("apt-get update");
      return scenario.update ?? true;
    },
    async playwrightInstall() {
      calls.push("playwright install chromium");
      return scenario.playwright ?? false;
    },
    log: () => {},
  };
  return { machine, calls };
}

describe("prepareMachine: the browser", () => {
  const shell = "apt-get install chromium-headless-shell";
  const cases: { name: string; scenario: Scenario; browser: string; calls: string[] }[] = [
    {
      name: "CHROMIUM_PATH names an existing browser: it is used and nothing is installed",
      scenario: { chromiumPath: "/opt/chrome/chrome", files: ["/opt/chrome/chrome", SYSTEM_CHROMIUM, ...ALL_SERVERS], root: true },
      browser: "/opt/chrome/chrome",
      calls: [],
    },
    {
      name: "Debian's headless shell is there: it is used, beside a full Chromium too",
      scenario: { files: [SYSTEM_HEADLESS_SHELL, SYSTEM_CHROMIUM, ...ALL_SERVERS], root: true },
      browser: SYSTEM_HEADLESS_SHELL,
      calls: [],
    },
    {
      name: "root on Debian with only the full Chromium: the headless shell is installed and used",
      scenario: { files: [SYSTEM_CHROMIUM, ...ALL_SERVERS], root: true, installs: [true] },
      browser: SYSTEM_HEADLESS_SHELL,
      calls: [shell],
    },
    {
      name: "root on Debian, the shell cannot be installed: the full Chromium that is there",
      scenario: { files: [SYSTEM_CHROMIUM, ...ALL_SERVERS], root: true, installs: [false, false] },
      browser: SYSTEM_CHROMIUM,
      calls: [shell, "apt-get update", shell],
    },
    {
      name: "not root, with Debian's Chromium: it is used, nothing installed",
      scenario: { files: [SYSTEM_CHROMIUM, ...ALL_SERVERS], root: false },
      browser: SYSTEM_CHROMIUM,
      calls: [],
    },
    {
      name: "root on Debian without a browser: apt-get installs the headless shell, without updating the lists first",
      scenario: { files: ALL_SERVERS, root: true, installs: [true] },
      browser: SYSTEM_HEADLESS_SHELL,
      calls: [shell],
    },
    {
      name: "the install fails for want of lists: the lists are updated and the install tried again",
      scenario: { files: ALL_SERVERS, root: true, installs: [false, true] },
      browser: SYSTEM_HEADLESS_SHELL,
      calls: [shell, "apt-get update", shell],
    },
    {
      name: "no headless shell to be had: Debian's Chromium is installed instead",
      scenario: { files: ALL_SERVERS, root: true, installs: [false, false, true] },
      browser: SYSTEM_CHROMIUM,
      calls: [shell, "apt-get update", shell, "apt-get install chromium"],
    },
    {
      name: "apt-get cannot install either: Playwright's own browser is next",
      scenario: { files: ALL_SERVERS, root: true, installs: [false, false, false, false], playwright: true },
      browser: "playwright",
      calls: [shell, "apt-get update", shell, "apt-get install chromium", "apt-get update", "apt-get install chromium", "playwright install chromium"],
    },
    {
      name: "the lists cannot be updated either: no second install, Playwright's browser",
      scenario: { files: ALL_SERVERS, root: true, installs: [false, false], update: false, playwright: true },
      browser: "playwright",
      calls: [shell, "apt-get update", "apt-get install chromium", "apt-get update", "playwright install chromium"],
    },
    {
      name: "not root (or not Debian): apt-get is never tried, Playwright's browser is",
      scenario: { files: ALL_SERVERS, root: false, playwright: true },
      browser: "playwright",
      calls: ["playwright install chromium"],
    },
  ];
  for (const { name, scenario, browser, calls: expected } of cases) {
    it(name, async () => {
      const { machine, calls } = fakeMachine(scenario);
      const outcome = await prepareMachine(machine);
      expect(calls).toEqual(expected);
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.browser.kind === "executable" ? outcome.browser.path : outcome.browser.kind).toBe(browser);
    });
  }
});

describe("prepareMachine: stops with one sentence", () => {
  const cases: { name: string; scenario: Scenario; says: RegExp; calls: string[] }[] = [
    {
      name: "CHROMIUM_PATH names nothing: it says so and neither installs nor falls back",
      scenario: { chromiumPath: "/opt/typo/chrome", files: [SYSTEM_HEADLESS_SHELL, ...ALL_SERVERS], root: true },
      says: /^CHROMIUM_PATH is \/opt\/typo\/chrome, which does not exist/,
      calls: [],
    },
    {
      name: "no browser to be had anywhere: what to install",
      scenario: { files: ALL_SERVERS, root: false, playwright: false },
      says: /needs a browser .*install Chromium .*apt-get install chromium.* or set CHROMIUM_PATH/,
      calls: ["playwright install chromium"],
    },
    {
      name: "servers missing and not root: names exactly the missing ones and their packages, installs nothing",
      scenario: { files: [SYSTEM_HEADLESS_SHELL, ...filesOf(POSTGRES)], root: false },
      says: /^npm test starts MariaDB and Mailman 3 for its server tests, which are not installed here: .*apt-get install --no-install-recommends mariadb-server mailman3/,
      calls: [],
    },
    {
      name: "root, but apt-get cannot install a server even after updating: names the package",
      scenario: { files: [SYSTEM_HEADLESS_SHELL, ...filesOf(POSTGRES), ...filesOf(MARIADB)], root: true, installs: [false, false] },
      says: /^apt-get could not install mailman3 \(its output is above\), which npm test needs for its server tests: install it,/,
      calls: ["apt-get install mailman3", "apt-get update", "apt-get install mailman3"],
    },
  ];
  for (const { name, scenario, says, calls: expected } of cases) {
    it(name, async () => {
      const { machine, calls } = fakeMachine(scenario);
      const outcome = await prepareMachine(machine);
      expect(calls).toEqual(expected);
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.sentence).toMatch(says);
      // One sentence: one line, one full stop at its end.
      expect(outcome.sentence).not.toContain("\n");
      expect(outcome.sentence).toMatch(/[^.]\.$/);
      expect(outcome.sentence.slice(0, -1)).not.toMatch(/\.\s/);
    });
  }
});

describe("prepareMachine: the servers", () => {
  it("installs only the missing servers, in one apt-get call, and reports where each one's programs are", async () => {
    const { machine, calls } = fakeMachine({ files: [SYSTEM_HEADLESS_SHELL, ...filesOf(POSTGRES)], root: true, installs: [true] });
    const outcome = await prepareMachine(machine);
    expect(calls).toEqual(["apt-get install mariadb-server mailman3"]);
    expect(outcome.ok && outcome.servers.map((s) => s.name)).toEqual(["PostgreSQL", "MariaDB", "Mailman 3"]);
  });

  it("under root, takes a server whose programs are there but whose system user is not as missing, and installs its package", async () => {
    const noMysqlUser = { files: [SYSTEM_HEADLESS_SHELL, ...ALL_SERVERS], users: ["postgres", "list"], installs: [true] };
    const asRoot = fakeMachine({ ...noMysqlUser, root: true });
    const outcome = await prepareMachine(asRoot.machine);
    expect(asRoot.calls).toEqual(["apt-get install mariadb-server"]);
    expect(outcome.ok).toBe(true);
    // Not root, the server runs as whoever runs the tests: no user needed.
    const asSelf = fakeMachine({ ...noMysqlUser, root: false });
    expect((await prepareMachine(asSelf.machine)).ok).toBe(true);
    expect(asSelf.calls).toEqual([]);
  });

  it("takes a newer PostgreSQL only when its initdb and postgres are both there", async () => {
    const newer = ["/usr/lib/postgresql/17/bin/initdb", "/usr/lib/postgresql/17/bin/postgres"];
    const split = ["/usr/lib/postgresql/15/bin/initdb", "/usr/lib/postgresql/16/bin/postgres"];
    const base = [SYSTEM_CHROMIUM, ...filesOf(MARIADB), ...filesOf(MAILMAN)];
    const found = await prepareMachine(fakeMachine({ files: [...base, ...split, ...newer] }).machine);
    expect(found.ok && found.servers[0]?.programs).toEqual({ initdb: newer[0], postgres: newer[1] });
    const none = await prepareMachine(fakeMachine({ files: [...base, ...split] }).machine);
    expect(!none.ok && none.sentence).toMatch(/starts PostgreSQL for its server tests, which is not installed here: .* postgresql\)/);
  });
});

describe("browserExecutable (what playwright.config.ts launches)", () => {
  const cases: { chromiumPath: string | undefined; files: string[]; expected: string | undefined }[] = [
    { chromiumPath: "/opt/chrome/chrome", files: [SYSTEM_CHROMIUM], expected: "/opt/chrome/chrome" },
    { chromiumPath: undefined, files: [SYSTEM_CHROMIUM], expected: SYSTEM_CHROMIUM },
    { chromiumPath: undefined, files: [], expected: undefined },
  ];
  for (const { chromiumPath, files, expected } of cases) {
    it(`CHROMIUM_PATH ${chromiumPath ?? "unset"}, ${files.length ? "with" : "without"} Debian's Chromium: ${expected ?? "Playwright's own"}`, () => {
      expect(browserExecutable(chromiumPath, (file) => files.includes(file))).toBe(expected);
    });
  }
});
