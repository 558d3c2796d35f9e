import type { Metadata } from "next";
import { openApiDocument } from "@/lib/api/openapi";
import { referenceOf, type FieldRow } from "@/lib/api/reference";
import { getSettings } from "@/server/settings";
import { TableScroll } from "@/app/_components/table-scroll";

export const metadata: Metadata = { title: "API reference", description: "How other programs list, read and file data rights requests, and follow what happens to them." };
export const dynamic = "force-dynamic";

function Fields({ rows, label }: { rows: FieldRow[]; label: string }) {
  if (rows.length === 0) return <p className="muted">None.</p>;
  return (
    <TableScroll label={label}>
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">What it is</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <td>
                <code>{row.name}</code>
              </td>
              <td className="wrap">{row.typeLink ? <a href={`#shape-${row.typeLink}`}>{row.type}</a> : row.type}</td>
              <td>{row.required ? "yes" : "no"}</td>
              <td className="wrap">{row.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The OpenAPI document, readable: the same document programs download from /api/v1/openapi.json. */
export default function DevelopersPage() {
  const settings = getSettings();
  const reference = referenceOf(openApiDocument({ appUrl: settings.appUrl, orgName: settings.orgName }));
  // Written for developers, in English like the API it describes, and marked so, whatever language the rest of the page speaks.
  return (
    <div lang="en">
      <h1>API reference</h1>
      <p className="lede">
        Other programs (a website&apos;s own forms, a CRM, a staff chat) can list and read {settings.orgName}&apos;s data rights requests,
        file one for a supporter, and follow what happens to them. An administrator makes each program a key with only the scopes it
        needs; every call is on the staff&apos;s record.
      </p>
      <p>
        The machine-readable description is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Send the key in
        every call as <code>Authorization: Bearer rdk_…</code>. A refusal is JSON with a stable code and a sentence, such as{" "}
        <code>{`{"error":{"code":"not_found","message":"There is no request with this reference."}}`}</code>; 401 means the key is
        missing, unknown or revoked, 403 that it lacks the scope the call needs. A field or parameter the call does not take is
        refused by name.
      </p>
      <p>{reference.description}</p>
      <h2>Calls</h2>
      <ul>
        {reference.operations.map((op) => (
          <li key={op.id}>
            <a href={`#${op.id}`}>
              <code>
                {op.method} {op.path}
              </code>
            </a>
            : {op.summary}
          </li>
        ))}
      </ul>
      {reference.operations.map((op) => (
        <section key={op.id} aria-labelledby={op.id}>
          <h3 id={op.id}>
            <code>
              {op.method} {op.path}
            </code>
          </h3>
          <p>
            <strong>{op.summary}.</strong> {op.description}
          </p>
          <h4>Parameters</h4>
          <Fields rows={op.parameters} label={`Parameters of ${op.method} ${op.path}`} />
          {op.body ? (
            <p>
              Body: <a href={`#shape-${op.body}`}>{op.body}</a>, as JSON.
            </p>
          ) : null}
          <h4>Answers</h4>
          <ul>
            {op.responses.map((r) => (
              <li key={r.status}>
                <strong>{r.status}</strong>
                {r.shape ? (
                  <>
                    {" "}
                    (<a href={`#shape-${r.shape}`}>{r.shape}</a>)
                  </>
                ) : null}
                : {r.description}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2>Shapes</h2>
      {reference.shapes.map((shape) => (
        <section key={shape.name} aria-labelledby={`shape-${shape.name}`}>
          <h3 id={`shape-${shape.name}`}>{shape.name}</h3>
          {shape.description ? <p>{shape.description}</p> : null}
          {shape.values ? (
            <p>
              One of: <code>{shape.values.join(", ")}</code>.
            </p>
          ) : null}
          {shape.variants.map((variant, i) => (
            <div key={variant.title ?? i}>
              {variant.title ? <h4>{variant.title}</h4> : null}
              <Fields rows={variant.fields} label={`Fields of ${shape.name}${variant.title ? `, ${variant.title}` : ""}`} />
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
