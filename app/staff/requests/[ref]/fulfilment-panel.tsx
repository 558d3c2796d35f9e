import { Suspense } from "react";
import type { FulfilmentView } from "@/lib/requests/fulfilment/staff-fulfilment-view";
import { countOf } from "@/lib/language/plural";
import { CONNECTOR_KIND_LABELS } from "@/lib/systems/connectors/connection-settings";
import { isConnectorKind } from "@/lib/systems/connectors/connected-systems";
import { ConnectedErasure } from "./connected-erasure";
import { CorrectionForm } from "./correction-form";
import { decideCorrectionsAction, messageAction, retryTaskAction, tickTaskAction } from "./fulfilment-actions";
import { WorkflowForm } from "./workflow-form";
import { TableScroll } from "@/app/_components/table-scroll";

/**
 * How the request is carried out: the erasure preview, the correction
 * decisions, the access export, the outside systems' tasks and the concern
 * thread. Its forms are left out for an auditor (`canAct` false), who
 * reads; the export can still be opened, since looking is reading.
 */
export function FulfilmentPanel({ view, version, subjectEmail, canAct }: { view: FulfilmentView; version: number; subjectEmail: string; canAct: boolean }) {
  const openManual = view.tasks.filter((t) => t.status === "open" && t.byHand);
  const stopped = view.tasks.filter((t) => t.stopped);
  return (
    <>
      {view.erasurePlan ? (
        <section aria-labelledby="erasure-heading">
          <h2 id="erasure-heading">What approval will erase</h2>
          <p>Approving carries the erasure out at once, in one step that cannot be undone.</p>
          <TableScroll labelledBy="erasure-deleted">
            <table>
              <caption id="erasure-deleted">Deleted</caption>
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
          </TableScroll>
          <TableScroll labelledBy="erasure-kept">
            <table>
              <caption id="erasure-kept">Kept</caption>
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
          </TableScroll>
          {view.open ? (
            <Suspense fallback={<p>Counting the rows in connected systems…</p>}>
              <ConnectedErasure email={subjectEmail} />
            </Suspense>
          ) : null}
        </section>
      ) : null}

      {view.corrections ? (
        <section aria-labelledby="corrections-heading">
          <h2 id="corrections-heading">Proposed changes</h2>
          <TableScroll label="Proposed changes, field by field">
            <table>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  {/* Once carried out the records hold the new values; what was held before stays on show. */}
                  <th scope="col">{view.open ? "Held now" : "Held before"}</th>
                  <th scope="col">Proposed</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {view.corrections.map((c) => {
                  const held = view.open ? c.current : c.decision ? c.heldWhenDecided : c.current;
                  return (
                    <tr key={c.field}>
                      <th scope="row">{c.label}</th>
                      <td className="wrap">{held ?? <span className="muted">nothing held</span>}</td>
                      <td className="wrap">{c.proposed}</td>
                      <td className="wrap">
                        {c.decision ? `${c.decision === "accepted" ? "Accepted" : "Rejected"}${c.note ? `: ${c.note}` : ""}` : "Not decided"}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          {view.canDecide && canAct ? (
            <>
              <h3>Decide the changes</h3>
              <CorrectionForm
                action={decideCorrectionsAction}
                reference={view.reference}
                version={version}
                fields={view.corrections.map((c) => ({ field: c.field, label: c.label, proposed: c.proposed, decision: c.decision, note: c.note }))}
              />
              <p className="hint">Accepted changes are written to the supporter records when you approve.</p>
            </>
          ) : null}
        </section>
      ) : null}

      {view.exportChoices.preview || view.exportChoices.sent ? (
        <section aria-labelledby="export-heading">
          <h2 id="export-heading">The supporter&apos;s data export</h2>
          {view.exportChoices.preview ? (
            <form method="post" action={`/staff/requests/${view.reference}/export/preview`} className="inline-form">
              <p className="hint">
                Built now from the records, as approval will build it. It is not stored and nothing is sent; that you looked is on the record.
              </p>
              <button className="primary" type="submit">
                Preview the export
              </button>
            </form>
          ) : null}
          {view.exportChoices.sent ? (
            <form method="post" action={`/staff/requests/${view.reference}/export/sent`} className="inline-form">
              <p className="hint">Exactly what the supporter can download. Opening it is on the record.</p>
              <button className="primary" type="submit">
                Open the export as sent
              </button>
            </form>
          ) : null}
        </section>
      ) : null}

      {view.tasks.length > 0 ? (
        <section aria-labelledby="tasks-heading">
          <h2 id="tasks-heading">Outside systems</h2>
          <TableScroll label="Outside systems' tasks">
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
                    <td>{isConnectorKind(t.kind) ? CONNECTOR_KIND_LABELS[t.kind] : t.kind}</td>
                    <td>{taskStatus(t)}</td>
                    <td className="wrap">{t.lastResponse ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {stopped.length > 0 ? (
            <p className="notice warning">
              {stopped.map((t) => t.systemName).join(", ")} stopped: trying again would fail the same way, so {stopped.length === 1 ? "it is" : "they are"} not
              tried again by {stopped.length === 1 ? "itself" : "themselves"}. The last answer says what failed. Put the cause right there (or in the system&apos;s
              connection, map, address or secret), then try again; or do that part there by hand and mark the task done.
            </p>
          ) : null}
          {stopped.length > 0 && canAct ? (
            <WorkflowForm
              action={retryTaskAction}
              reference={view.reference}
              submitLabel="Try again"
              choice={{ name: "task", label: "Stopped outside system to try again", choices: stopped.map((t) => ({ value: String(t.id), label: t.systemName })) }}
            />
          ) : null}
          {openManual.length > 0 && canAct ? (
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

      {view.type === "concern" && view.open && canAct ? (
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

function taskStatus(t: FulfilmentView["tasks"][number]): string {
  if (t.status === "done") return `done${t.completedBy ? ` by ${t.completedBy}` : ""}`;
  if (t.kind === "manual") return "open";
  if (t.stopped) return `open, stopped after ${countOf(t.attempts, "attempt")}: not tried again by itself`;
  return `open, ${countOf(t.attempts, "attempt")}${t.byHand ? "; switched off, so not called again" : ""}`;
}
