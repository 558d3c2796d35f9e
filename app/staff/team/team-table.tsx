"use client";

import { useActionState, useState } from "react";
import { DateOnly } from "@/app/_components/dates";
import type { TeamMemberView } from "@/lib/staff/team-view";
import type { ActionState } from "@/server/action";
import { changeMemberRole, removeMember, resetPasskeysAction } from "./actions";
import styles from "./team.module.css";
import { TableScroll } from "@/app/_components/table-scroll";

export function TeamTable({ members }: { members: TeamMemberView[] }) {
  const [roleState, roleAction, rolePending] = useActionState<ActionState, FormData>(changeMemberRole, null);
  const [removeState, removeAction, removePending] = useActionState<ActionState, FormData>(removeMember, null);
  const [resetState, resetAction, resetPending] = useActionState<ActionState, FormData>(resetPasskeysAction, null);
  // The actions answer in one place: whichever was used last.
  const [last, setLast] = useState<"role" | "remove" | "reset" | null>(null);
  const state = last === "role" ? roleState : last === "remove" ? removeState : last === "reset" ? resetState : null;
  const pending = rolePending || removePending || resetPending;

  return (
    <>
      {/* Live regions stay in the page, so a message that appears in them is announced. */}
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <div role="alert">{state && !state.ok ? <p className="notice error">{state.message}</p> : null}</div>
      <TableScroll label="Staff members">
        <table>
          <caption>Everyone on the staff list, by email address</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              <th scope="col">Passkeys</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.email}>
                <td>
                  {m.email}
                  {m.isYou ? <span className="muted"> (you)</span> : null}
                </td>
                <td>{m.roleLabel}</td>
                <td>
                  <DateOnly date={m.addedOn} />
                </td>
                <td>{m.passkeys}</td>
                <td>
                  <div className={styles.changes}>
                    {m.otherRoles.map((other) => (
                      <form key={other.role} action={roleAction} onSubmit={() => setLast("role")}>
                        <input type="hidden" name="email" value={m.email} />
                        <input type="hidden" name="role" value={other.role} />
                        <button type="submit" disabled={pending}>
                          Make {other.role}
                          <span className="visually-hidden"> {m.email}</span>
                        </button>
                      </form>
                    ))}
                    {m.passkeys > 0 && !m.isYou ? (
                      <form action={resetAction} onSubmit={() => setLast("reset")}>
                        <input type="hidden" name="email" value={m.email} />
                        <button type="submit" disabled={pending}>
                          Reset passkeys
                          <span className="visually-hidden"> of {m.email}</span>
                        </button>
                      </form>
                    ) : null}
                    <form action={removeAction} onSubmit={() => setLast("remove")}>
                      <input type="hidden" name="email" value={m.email} />
                      <button type="submit" className={styles.remove} disabled={pending}>
                        Remove
                        <span className="visually-hidden"> {m.email}</span>
                      </button>
                    </form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}
