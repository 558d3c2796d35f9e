/**
 * Filing a request: the POST of the confirm page's button by its signed-in
 * owner, which turns a draft into a request (with its event, receipt and
 * staff notices) and redirects to it. Every request confirms a different
 * person's draft.
 */
import Database from "better-sqlite3";
import { flatFigure, ratioFigure, type BenchContext, type Figure } from "../figure";
import type { Load } from "../load";
import type { PendingDraft } from "../seed/seed-viewers";
import { CONNECTIONS } from "../load";
import { emptyRoute, sessionCookie } from "./baselines";

function filedCount(databasePath: string): number {
  const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return (sqlite.prepare("select count(*) as n from request_drafts where request_id is not null").get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

/** Filing on one server: each confirmation a different person's draft, all of them checked to have filed a request. */
async function fileDrafts(input: { load: BenchContext["load"]; baseUrl: string; databasePath: string; drafts: PendingDraft[] }): Promise<Load & { filed: number }> {
  const { drafts } = input;
  let next = 0;
  const before = filedCount(input.databasePath);
  const load = await input.load({
    label: "filing",
    path: "/requests/confirm/submit",
    status: 303,
    nextRequest: () => {
      const draft = drafts[next++];
      if (!draft) throw new Error(`The bench ran out of its ${drafts.length} drafts: raise BENCH_DRAFTS.`);
      return {
        path: "/requests/confirm/submit",
        cookie: sessionCookie(draft.sessionToken),
        form: { body: `draft=${draft.draftKey}`, origin: input.baseUrl },
      };
    },
  });
  // Each confirmation sent (warm-up included) must have filed a request, none answered from an earlier one;
  // the last few may have been cut off in flight when the run ended.
  const filed = filedCount(input.databasePath) - before;
  if (filed > next || filed < next - CONNECTIONS) {
    throw new Error(`Filing sent ${next} confirmations but ${filed} requests were filed.`);
  }
  return { ...load, filed };
}

export const filing: Figure = {
  name: "filing a request",
  async measure(ctx) {
    const name = "filing a request";
    const baseline = await ctx.load(emptyRoute(sessionCookie(ctx.world.drafts[0]!.sessionToken)));
    const subject = await fileDrafts({ load: ctx.load, baseUrl: ctx.baseUrl, databasePath: ctx.databasePath, drafts: ctx.world.drafts });
    const short = await fileDrafts({ ...ctx.history, drafts: ctx.history.world.drafts });
    const result = ratioFigure(name, subject, baseline, 0.5);
    return [
      { ...result, detail: { ...result.detail, filed: subject.filed } },
      flatFigure(name, subject, short, { full: ctx.requests, short: ctx.history.requests }),
    ];
  },
};
