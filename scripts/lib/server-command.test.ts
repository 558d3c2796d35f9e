import { describe, expect, it } from "vitest";
import { parseSettings } from "@/lib/settings/settings";
import { serverArguments } from "./server-command";

describe("serverArguments", () => {
  it.each([
    [{}, 256],
    [{ SERVER_HEAP_MB: "1024" }, 1024],
  ])("holds the server's heap to SERVER_HEAP_MB (%j → %i MB) and runs scripts/serve.mjs", (env, mb) => {
    const parsed = parseSettings(env, "/srv/rightsdesk");
    if (!parsed.ok) throw new Error(parsed.message);
    expect(serverArguments("/srv/rightsdesk", parsed.settings)).toEqual([`--max-old-space-size=${mb}`, "--max-semi-space-size=8", "/srv/rightsdesk/scripts/serve.mjs"]);
  });
});
