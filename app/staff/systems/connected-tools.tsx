"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { Preview } from "@/lib/systems/connectors/preview";
import type { ActionState } from "@/server/action";
import { previewAddressAction, testConnectionAction } from "./connected-actions";
import { TableScroll } from "@/app/_components/table-scroll";

export function TestConnectionForm({ id }: { id: number }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(testConnectionAction, null);
  return (
    <form action={action} className="stacked">
      <input type="hidden" name="id" value={id} />
      <div role="status">{state ? <p className={`notice ${state.ok ? "success" : "warning"}`}>{state.message}</p> : null}</div>
      <div>
        <button className="secondary" type="submit" disabled={pending}>
          {pending ? "Connecting…" : "Test connection"}
        </button>
      </div>
    </form>
  );
}

/** Looks up one address (on the record), and shows what was found and what an erasure would do. */
export function PreviewForm({ id }: { id: number }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(previewAddressAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const preview = state?.ok && state.values?.preview ? (JSON.parse(state.values.preview) as Preview) : null;
  return (
    <form action={action} className="stacked" noValidate>
      <input type="hidden" name="id" value={id} />
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={state?.fieldErrors} labels={{ email: "Email address" }} />
      <Field name="email" label="Email address" hint="Looking is recorded: who, when, and the address as a keyed hash." error={state?.fieldErrors?.email}>
        {(p) => <input type="email" name="email" defaultValue={state?.values?.email ?? ""} spellCheck={false} {...p} />}
      </Field>
      <div>
        <button className="secondary" type="submit" disabled={pending}>
          {pending ? "Looking…" : "Preview for this address"}
        </button>
      </div>
      <div role="status">
        {preview && preview.ok ? (
          <div data-testid="preview">
            <p className="notice success">{state?.message}</p>
            {(preview.tables ?? []).map((t) => (
              <TableScroll key={t.table} label={`${t.label}, as held`}>
                <table>
                  <caption>
                    {t.label} ({t.rows.length})
                  </caption>
                  <thead>
                    <tr>
                      {t.columns.map((c) => (
                        <th scope="col" key={c.name}>
                          {c.name} <small>({c.categoryLabel})</small>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {t.rows.map((row, i) => (
                      <tr key={i}>
                        {t.columns.map((c) => (
                          <td key={c.name} className="wrap">
                            {row[c.name] === null || row[c.name] === undefined ? "—" : String(row[c.name])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            ))}
            {preview.lists ? (
              <ul>
                {preview.lists.map((l) => (
                  <li key={`${l.list}-${l.role}`}>
                    {l.listName} &lt;{l.list}&gt; as {l.role}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}
