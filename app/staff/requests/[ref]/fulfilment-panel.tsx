import { getDb } from "@/db/client";
import { getFulfilmentView } from "@/lib/fulfilment/staff-fulfilment-view";
import { decideFieldAction, messageAction, tickTaskAction } from "./fulfilment-actions";
import { WorkflowForm } from "./workflow-form";
import { countOf } from "@/lib/language/plural";

/**
 * How the request is carried out: the erasure preview, the correction
 * decisions, the outside systems' tasks and the concern thread.
 */
export function FulfilmentPanel({ reference }: { reference: string }) {
  const view = getFulfilmentView(getDb(), { reference, now: new Date() });
  if (!view) return null;
  const openManual = view.tasks.filter((t) => t.status === "open" && t.kind === "manual");
  return (
    <>
      {view.erasurePlan ? (
        <section aria-labelledby="erasure-heading">
          <h2 id="erasure-heading">What approval will erase</h2>
          <p>Approving carries the erasure out at once, in one step that cannot be undone.</p>
          <table>
            <caption>Deleted</caption>
            <thead>
              <tr>
                <th scope="col">Records</th>
                <th scope="col">How many</th>
              </tr>
            </thead>
            <tbody>
              {view.erasurePlan.deleted.map((d) => (
                <tr key={d.what}>
                  <td>{d.what}</td>
                  <td>{d.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>Kept</caption>
            <thead>
              <tr>
                <th scope="col">Records</th>
                <th scope="col">How many</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {view.erasurePlan.kept.map((k) => (
                <tr key={k.what}>
                  <td>{k.what}</td>
                  <td>{k.count}</td>
                  <td>{k.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}

      {view.corrections ? (
        <section aria-labelledby="corrections-heading">
          <h2 id="corrections-heading">Proposed changes</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Now</th>
                <th scope="col">Proposed</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {view.corrections.map((c) => (
                <tr key={c.field}>
                  <th scope="row">{c.label}</th>
                  <td>{c.current ?? <span className="muted">nothing held</span>}</td>
                  <td>{c.proposed}</td>
                  <td>
                    {c.decision ? `${c.decision === "accepted" ? "Accepted" : "Rejected"}${c.note ? `: ${c.note}` : ""}` : "Not decided"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.canDecide
            ? view.corrections.map((c) => (
                <div key={c.field}>
                  <h3>Decide: {c.label}</h3>
                  <WorkflowForm
                    action={decideFieldAction}
                    reference={view.reference}
                    submitLabel={`Save decision on ${c.label.toLowerCase()}`}
                    choice={{
                      name: "decision",
                      label: `${c.label}: accept or reject`,
                      defaultValue: c.decision ? `${c.decision}:${c.field}` : `accepted:${c.field}`,
                      choices: [
                        { value: `accepted:${c.field}`, label: "Accept the change" },
                        { value: `rejected:${c.field}`, label: "Reject the change" },
                      ],
                    }}
                    text={{ name: "note", label: `Note on ${c.label.toLowerCase()}`, hint: "Sent to the supporter. Needed when you reject.", rows: 2 }}
                  />
                </div>
              ))
            : null}
          {view.canDecide ? <p className="hint">Accepted changes are written to the supporter records when you approve.</p> : null}
        </section>
      ) : null}

      {view.tasks.length > 0 ? (
        <section aria-labelledby="tasks-heading">
          <h2 id="tasks-heading">Outside systems</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">System</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Last answer or note</th>
              </tr>
            </thead>
            <tbody>
              {view.tasks.map((t) => (
                <tr key={t.id}>
                  <td>{t.systemName}</td>
                  <td>{t.kind}</td>
                  <td>{t.status === "done" ? `done${t.completedBy ? ` by ${t.completedBy}` : ""}` : t.kind === "webhook" ? `open, ${countOf(t.attempts, "attempt")}` : "open"}</td>
                  <td>{t.lastResponse ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {openManual.length > 0 ? (
            <WorkflowForm
              action={tickTaskAction}
              reference={view.reference}
              submitLabel="Mark done"
              choice={{ name: "task", label: "Outside system dealt with by hand", choices: openManual.map((t) => ({ value: String(t.id), label: t.systemName })) }}
              text={{ name: "note", label: "What was done there", rows: 2 }}
            />
          ) : null}
        </section>
      ) : null}

      {view.type === "concern" && view.open ? (
        <section aria-labelledby="message-heading">
          <h2 id="message-heading">Write to the supporter</h2>
          <WorkflowForm
            action={messageAction}
            reference={view.reference}
            submitLabel="Send message"
            text={{ name: "message", label: "Message to the supporter", hint: "Emailed to them; they can reply on their request's page.", rows: 4 }}
          />
        </section>
      ) : null}
    </>
  );
}
