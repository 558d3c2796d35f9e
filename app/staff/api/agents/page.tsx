import type { Metadata } from "next";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { businessDiscoveryDocument, listAgents, loadBusiness } from "@/lib/api/drp/agents";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { toggleAgentAction } from "../actions";
import { ApiNav } from "../api-nav";
import { RowButton } from "../row-button";
import { AgentForm, AgentSiteForm, BusinessForm } from "./agent-forms";
import { TableScroll } from "@/app/_components/table-scroll";

export const metadata: Metadata = { title: "Authorised agents" };

export default async function AgentsPage() {
  await requireStaff("/staff/api/agents", ["admin"]);
  const db = getDb();
  const settings = getSettings();
  const business = loadBusiness(db);
  const agents = listAgents(db);
  return (
    <>
      <h1>Other programs</h1>
      <ApiNav current="agents" />
      <p>
        Authorised agents (such as Consumer Reports&apos; Permission Slip) send people&apos;s access and deletion requests using the
        Data Rights Protocol 1.0. Each agent&apos;s requests are signed with its own key; register an agent here with the id and
        verify key the network&apos;s directory lists. A request from an agent enters the queue marked with the agent, once the
        person has confirmed it by the emailed link (unless you trust the agent&apos;s verified addresses).
      </p>
      <h2>This organisation in the network</h2>
      <BusinessForm
        saved={
          business
            ? {
                businessId: business.businessId,
                technicalContact: business.technicalContact,
                businessContact: business.businessContact,
                logoUrl: business.logoUrl ?? "",
                privacyPolicyUrl: business.privacyPolicyUrl ?? "",
                webUrl: business.webUrl ?? "",
              }
            : {}
        }
      />
      <h3>Discovery document</h3>
      {business ? (
        <>
          <p>Give this to the network&apos;s operators, so agents can find this organisation (DRP 1.0, section 3.05.2).</p>
          <TableScroll label="The business discovery document">
            <pre data-testid="discovery-document">{JSON.stringify(businessDiscoveryDocument(business, { orgName: settings.orgName, appUrl: settings.appUrl }), null, 2)}</pre>
          </TableScroll>
        </>
      ) : (
        <p>Save the business id and contacts above first. Until then no agent&apos;s message is accepted.</p>
      )}
      <h2>Register an agent</h2>
      <AgentForm />
      <h2>Agents</h2>
      {agents.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <TableScroll label="Registered agents">
          <table>
            <thead>
              <tr>
                <th scope="col">Agent</th>
                <th scope="col">Website (the way back)</th>
                <th scope="col">Verified addresses</th>
                <th scope="col">Key set up</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Change</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <td className="wrap">
                    {a.name}
                    <br />
                    <code>{a.id}</code>
                  </td>
                  <td className="row-field">
                    <AgentSiteForm id={a.id} name={a.name} webUrl={a.webUrl} />
                  </td>
                  <td>{a.trustsVerifiedEmail ? "taken as proof" : "confirmed by email"}</td>
                  <td>{a.tokenIssuedAt ? <Instant at={a.tokenIssuedAt} timeZone={settings.timeZone} /> : "not yet"}</td>
                  <td>{a.disabledAt ? "off" : "on"}</td>
                  <td>
                    <RowButton
                      action={toggleAgentAction}
                      fields={{ id: a.id, enabled: a.disabledAt ? "yes" : "no" }}
                      label={a.disabledAt ? "Switch on" : "Switch off"}
                      accessibleLabel={`${a.disabledAt ? "Switch on" : "Switch off"} ${a.name}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
