import type { Metadata } from "next";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { EVENT_KIND_WORDS, PUBLIC_EVENT_KINDS } from "@/lib/api/event-kinds";
import { listSubscriptions } from "@/lib/api/subscriptions";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { replayDeliveryAction, replayFailedAction, toggleSubscriptionAction } from "../actions";
import { ApiNav } from "../api-nav";
import { RowButton } from "../row-button";
import { SubscriptionForm } from "./subscription-form";
import { TableScroll } from "@/app/_components/table-scroll";

export const metadata: Metadata = { title: "Event subscriptions" };

const STATUS_WORDS = { pending: "waiting to be sent", delivered: "delivered", failed: "failed" } as const;

export default async function SubscriptionsPage() {
  await requireStaff("/staff/api/subscriptions", ["admin"]);
  const subscriptions = listSubscriptions(getDb());
  const { timeZone } = getSettings();
  return (
    <>
      <h1>Other programs</h1>
      <ApiNav current="subscriptions" />
      <p>
        Each event of the kinds chosen is POSTed to the address, signed, as it happens: a request&apos;s reference and what happened
        to it, never personal data. A delivery that is not received is tried again for several hours, then marked failed; you can
        send any delivery again from here.
      </p>
      <h2>Subscribe an address</h2>
      <SubscriptionForm kinds={PUBLIC_EVENT_KINDS.map((kind) => ({ kind, words: EVENT_KIND_WORDS[kind] }))} />
      <h2>Subscriptions</h2>
      {subscriptions.length === 0 ? (
        <p>None yet.</p>
      ) : (
        subscriptions.map((s) => (
          <section key={s.id} aria-labelledby={`subscription-${s.id}`}>
            <h3 id={`subscription-${s.id}`}>
              {s.name} <span className="status">{s.active ? "on" : "off"}</span>
            </h3>
            <dl className="facts">
              <dt>Address</dt>
              <dd>{s.url}</dd>
              <dt>Events</dt>
              <dd>{s.kinds.join(", ")}</dd>
              <dt>Made</dt>
              <dd>
                <Instant at={s.createdAt} timeZone={timeZone} /> by {s.createdBy}
              </dd>
            </dl>
            <RowButton
              action={toggleSubscriptionAction}
              fields={{ id: String(s.id), active: s.active ? "no" : "yes" }}
              label={s.active ? "Switch off" : "Switch on"}
              accessibleLabel={`${s.active ? "Switch off" : "Switch on"} ${s.name}`}
            />
            {s.deliveries.some((d) => d.status === "failed") ? (
              <RowButton action={replayFailedAction} fields={{ id: String(s.id) }} label="Send every failed delivery again" accessibleLabel={`Send every failed delivery to ${s.name} again`} />
            ) : null}
            <h4>Latest deliveries</h4>
            {s.deliveries.length === 0 ? (
              <p>None yet.</p>
            ) : (
              <TableScroll label={`Latest deliveries to ${s.name}`}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col">Status</th>
                      <th scope="col">Last answer</th>
                      <th scope="col">
                        <span className="visually-hidden">Send again</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.deliveries.map((d) => (
                      <tr key={d.id}>
                        <td className="wrap">
                          <code>{d.kind}</code> {d.reference}
                          <br />
                          <span className="muted">
                            <Instant at={d.createdAt} timeZone={timeZone} />, delivery {d.deliveryId}
                          </span>
                        </td>
                        <td>
                          {STATUS_WORDS[d.status]}
                          {d.attempts > 0 ? `, ${d.attempts} ${d.attempts === 1 ? "try" : "tries"}` : ""}
                          {d.replayedBy ? (
                            <>
                              <br />
                              <span className="muted">sent again by {d.replayedBy}</span>
                            </>
                          ) : null}
                        </td>
                        <td className="error-text">{d.lastResponse ?? ""}</td>
                        <td>
                          <RowButton action={replayDeliveryAction} fields={{ id: String(d.id) }} label="Send again" accessibleLabel={`Send delivery ${d.deliveryId} again`} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </section>
        ))
      )}
    </>
  );
}
