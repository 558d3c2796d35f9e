/**
 * Filing a request: the POST of the confirm page's button by its signed-in
 * owner, which turns a draft into a request (with its event, receipt and
 * staff notices) and redirects to it. Every request confirms a different
 * person's draft.
 */
import Database from "better-sqlite3";
import { flatFigure, ratioFigure, type Figure } from "../figure";
import type { LoadSpec } from "../load";
import type { PendingDraft } from "../seed/seed-viewers";
import { CONNECTIONS, roundsFor } from "../load";
import { emptyRoute, sessionCookie } from "./baselines";

function filedCount(databasePath: string): number {
  const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare("select count(*) as n from request_drafts where request_id is not null").get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

/** Filing on one server: each confirmation a different person's draft; `check` makes sure each sent filed a request. */
function filingOn(baseUrl: string, databasePath: string, drafts: PendingDraft[], seconds: number): { spec: LoadSpec; check(): number } {
  let next = 0;
  const before = filedCount(databasePath);
  const spec: LoadSpec = {
    label: "filing",
    path: "/requests/confirm/submit",
    status: 303,
    nextRequest: () => {
      const draft = drafts[next++];
      if (!draft) throw new Error(`The bench ran out of its ${drafts.length} drafts: raise BENCH_DRAFTS.`);
      return {
        path: "/requests/confirm/submit",
        cookie: sessionCookie(draft.sessionToken),
        form: { body: `draft=${draft.draftKey}`, origin: baseUrl },
      };
    },
  };
  return {
    spec,
    check() {
      // Each confirmation sent (warm-ups included) must have filed a request, none answered from an earlier one;
      // the last few of each run may have been cut off in flight when it ended (a warm-up and the rounds).
      const filed = filedCount(databasePath) - before;
      if (filed > next || filed < next - (1 + roundsFor(seconds).rounds) * CONNECTIONS) {
        throw new Error(`Filing sent ${next} confirmations but ${filed} requests were filed.`);
      }
      return filed;
    },
  };
}

export const filing: Figure = {
  name: "filing a request",
  async measure(ctx) {
    const name = "filing a request";
    const full = filingOn(ctx.baseUrl, ctx.databasePath, ctx.world.drafts, ctx.timing.seconds);
    const onShort = filingOn(ctx.history.baseUrl, ctx.history.databasePath, ctx.history.world.drafts, ctx.timing.seconds);
    const [baseline, subject, short] = await ctx.compare([
      { on: "full", spec: emptyRoute(sessionCookie(ctx.world.drafts[0]!.sessionToken)) },
      { on: "full", spec: full.spec },
      { on: "short", spec: onShort.spec },
    ]);
    const filed = full.check();
    onShort.check();
    const result = ratioFigure(name, subject, baseline, 0.5);
    return [{ ...result, detail: { ...result.detail, filed } }, flatFigure(name, subject, short, { full: ctx.requests, short: ctx.history.requests })];
  },
};
