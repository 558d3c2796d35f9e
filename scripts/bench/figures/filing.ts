/**
 * Filing a request: the POST of the confirm page's button by its signed-in
 * owner, which turns a draft into a request (with its event, receipt and
 * staff notices) and redirects to it. Every request confirms a different
 * person's draft.
 */
import Database from "better-sqlite3";
import { ratioFigure, type Figure } from "../figure";
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

export const filing: Figure = {
  name: "filing a request",
  async measure(ctx) {
    const { drafts } = ctx.world;
    const baseline = await ctx.load(emptyRoute(sessionCookie(drafts[0]!.sessionToken)));
    let next = 0;
    const before = filedCount(ctx.databasePath);
    const subject = await ctx.load({
      label: "filing",
      path: "/requests/confirm/submit",
      status: 303,
      nextRequest: () => {
        const draft = drafts[next++];
        if (!draft) throw new Error(`The bench ran out of its ${drafts.length} drafts: raise BENCH_DRAFTS.`);
        return {
          path: "/requests/confirm/submit",
          cookie: sessionCookie(draft.sessionToken),
          form: { body: `draft=${draft.draftKey}`, origin: ctx.baseUrl },
        };
      },
    });
    // Each confirmation sent (warm-up included) must have filed a request, none answered from an earlier one;
    // the last few may have been cut off in flight when the run ended.
    const filed = filedCount(ctx.databasePath) - before;
    if (filed > next || filed < next - CONNECTIONS) {
      throw new Error(`Filing sent ${next} confirmations but ${filed} requests were filed.`);
    }
    const result = ratioFigure("filing a request", subject, baseline, 0.8);
    return { ...result, detail: { ...result.detail, filed } };
  },
};
