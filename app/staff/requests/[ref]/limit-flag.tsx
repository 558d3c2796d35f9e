import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { limitFlagOf } from "@/lib/requests/casework/override-limit";
import { overrideLimitAction } from "./actions";
import { WorkflowForm } from "./workflow-form";

/** A per-supporter limit's flag on this request, and the form to override it with a reason. */
export function LimitFlag({ reference, version, open, timeZone, canAct }: { reference: string; version: number; open: boolean; timeZone: string; canAct: boolean }) {
  const flag = limitFlagOf(getDb(), reference);
  if (!flag) return null;
  if (flag.overridden) {
    return (
      <p className="notice">
        {flag.note} Overridden by {flag.overridden.by ?? "staff"} on <Instant at={flag.overridden.at} timeZone={timeZone} />:{" "}
        {flag.overridden.reason}
      </p>
    );
  }
  return (
    <section aria-labelledby="limit-flag-heading" className="notice warning">
      <h2 id="limit-flag-heading">Possibly excessive</h2>
      <p>{flag.note}</p>
      {open && canAct ? (
        <WorkflowForm
          action={overrideLimitAction}
          reference={reference}
          version={version}
          submitLabel="Accept it despite the limit"
          text={{ name: "reason", label: "Why you accept it", hint: "Goes on the record; not sent to the supporter." }}
        />
      ) : null}
    </section>
  );
}
