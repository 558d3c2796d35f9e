import type { Metadata } from "next";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { DEFAULT_RATE_PER_MINUTE, listApiKeys, recentCalls, SCOPE_WORDS } from "@/lib/api/keys";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { revokeKeyAction } from "./actions";
import { ApiNav } from "./api-nav";
import { KeyForm } from "./key-form";
import { RowButton } from "./row-button";
import { TableScroll } from "@/app/_components/table-scroll";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/api", ["admin"]);
  const db = getDb();
  const keys = listApiKeys(db);
  const { timeZone } = getSettings();
  return (
    <>
      <h1>Other programs</h1>
      <ApiNav current="keys" />
      <p>
        Programs such as a CRM or the website&apos;s own forms call the API with a key made here. Give each program its own key,
        with only what it needs; every call is recorded below, and revoking a key stops it at once.
      </p>
      <h2>Make a key</h2>
      <KeyForm scopeWords={SCOPE_WORDS} defaultRate={DEFAULT_RATE_PER_MINUTE} />
      <h2>Keys</h2>
      {keys.length === 0 ? (
        <p>None yet.</p>
      ) : (
        keys.map((key) => {
          const calls = recentCalls(db, key.id);
          return (
            <section key={key.id} aria-labelledby={`key-${key.id}`}>
              <h3 id={`key-${key.id}`}>
                {key.name} {key.revokedAt ? <span className="status">revoked</span> : null}
              </h3>
              <dl className="facts">
                <dt>Starts</dt>
                <dd>
                  <code>{key.hint}…</code>
                </dd>
                <dt>May</dt>
                <dd>{key.scopes.map((s) => SCOPE_WORDS[s].label).join(", ")}</dd>
                <dt>Calls a minute</dt>
                <dd>{key.ratePerMinute}</dd>
                <dt>Made</dt>
                <dd>
                  <Instant at={key.createdAt} timeZone={timeZone} /> by {key.createdBy}
                </dd>
                <dt>Last used</dt>
                <dd>{key.lastUsedAt ? <Instant at={key.lastUsedAt} timeZone={timeZone} /> : "never"}</dd>
                {key.revokedAt ? (
                  <>
                    <dt>Revoked</dt>
                    <dd>
                      <Instant at={key.revokedAt} timeZone={timeZone} /> by {key.revokedBy}
                    </dd>
                  </>
                ) : null}
              </dl>
              {key.revokedAt ? null : <RowButton action={revokeKeyAction} fields={{ id: String(key.id) }} label="Revoke" accessibleLabel={`Revoke the key ${key.name}`} />}
              <details>
                <summary>Latest calls ({calls.length})</summary>
                {calls.length === 0 ? (
                  <p>None yet.</p>
                ) : (
                  <TableScroll label={`Latest calls with ${key.name}`}>
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">When</th>
                          <th scope="col">Call</th>
                          <th scope="col">Request</th>
                          <th scope="col">Answer</th>
                        </tr>
                      </thead>
                      <tbody>
                        {calls.map((call, i) => (
                          <tr key={i}>
                            <td>
                              <Instant at={call.at} timeZone={timeZone} />
                            </td>
                            <td className="wrap">
                              <code>
                                {call.method} {call.route}
                              </code>
                            </td>
                            <td>{call.reference ?? ""}</td>
                            <td>{call.status}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                )}
              </details>
            </section>
          );
        })
      )}
    </>
  );
}
