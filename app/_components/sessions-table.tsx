"use client";

import { useActionState } from "react";
import type { SessionRowText as SessionRow } from "@/lib/staff/session-rows";
import type { ActionState } from "@/server/action";
import { TableScroll } from "@/app/_components/table-scroll";


function When({ text, iso }: { text: string | null; iso: string | null }) {
  return text && iso ? <time dateTime={iso}>{text}</time> : <span className="muted">not recorded</span>;
}

/**
 * Sessions with a button to end each. The answer is shown above the table,
 * since the row of a session that has ended leaves it.
 */
export function SessionsTable({
  rows,
  action,
  caption,
  labelledBy,
}: {
  rows: SessionRow[];
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  caption: string;
  labelledBy: string;
}) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, null);
  const problem = state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.message) : undefined;
  const withEmail = rows.some((r) => r.email !== undefined);
  return (
    <>
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <div role="alert">{problem ? <p className="notice error">{problem}</p> : null}</div>
      <TableScroll labelledBy={labelledBy}>
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {withEmail ? <th scope="col">Email</th> : null}
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">End</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.handle}>
                {withEmail ? <td>{s.email}</td> : null}
                <td>
                  {s.device}
                  {s.current ? <strong> (this device)</strong> : null}
                </td>
                <td>
                  <When text={s.started} iso={s.startedIso} />
                </td>
                <td>
                  <When text={s.lastSeen} iso={s.lastSeenIso} />
                </td>
                <td>
                  <form action={formAction}>
                    {s.email !== undefined ? <input type="hidden" name="email" value={s.email} /> : null}
                    <input type="hidden" name="handle" value={s.handle} />
                    <button type="submit" className="secondary" disabled={pending}>
                      {s.current && !withEmail ? "Sign out here" : "End"}
                      {s.current && !withEmail ? null : (
                        <span className="visually-hidden"> {s.email ? `${s.email}'s session on ${s.device}` : `the session on ${s.device}`}</span>
                      )}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
