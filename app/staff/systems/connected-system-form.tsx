"use client";

import { useActionState, useState } from "react";
import { ErrorSummary, Field, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { saveConnectedSystemAction } from "./connected-actions";

const LABELS: Record<string, string> = {
  name: "Name",
  kind: "Kind",
  host: "Host",
  port: "Port",
  database: "Database",
  user: "User",
  schema: "Schema",
  tls: "TLS",
  url: "REST address",
  password: "Password",
  map: "Dataset map",
};

export type ConnectedSystemValues = {
  id?: number;
  name: string;
  kind: "postgres" | "mysql" | "mailman";
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  schema?: string;
  tls?: string;
  url?: string;
  map?: string;
};

/**
 * Adds or edits a connected system. The password field is always empty: a
 * stored password is never shown, and leaving the field empty when editing
 * keeps it.
 */
export function ConnectedSystemForm({ initial }: { initial?: ConnectedSystemValues }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(saveConnectedSystemAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const typed = state && !state.ok ? (state.values ?? {}) : {};
  const v = (name: keyof ConnectedSystemValues) => typed[name] ?? (initial?.[name] !== undefined ? String(initial[name]) : "");
  const [kind, setKind] = useState<string>(typed.kind ?? initial?.kind ?? "postgres");
  const editing = initial?.id !== undefined;
  return (
    <form action={action} className="stacked" noValidate key={state?.ok ? JSON.stringify(state) : undefined}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={LABELS} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      {editing ? <input type="hidden" name="id" value={initial.id} /> : null}
      <Field name="name" label="Name" hint="How staff and the supporter's export name it, such as “CRM” or “Mailing lists”." error={errors.name}>
        {(p) => <input name="name" defaultValue={v("name")} {...p} />}
      </Field>
      <Field name="kind" label="Kind" error={errors.kind}>
        {(p) => (
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)} disabled={editing} {...p}>
            <option value="postgres">PostgreSQL database</option>
            <option value="mysql">MySQL or MariaDB database (CiviCRM)</option>
            <option value="mailman">Mailman 3 list server</option>
          </select>
        )}
      </Field>
      {editing ? <input type="hidden" name="kind" value={kind} /> : null}
      {kind === "mailman" ? (
        <Field name="url" label="REST address" hint="Mailman core's REST API with its version, such as http://lists.example.org:8001/3.1." error={errors.url}>
          {(p) => <input type="url" name="url" defaultValue={v("url")} spellCheck={false} {...p} />}
        </Field>
      ) : (
        <>
          <Field name="host" label="Host" hint="It must lead to a public address, unless the host is allowed by WEBHOOK_ALLOW_PRIVATE_HOSTS." error={errors.host}>
            {(p) => <input name="host" defaultValue={v("host")} spellCheck={false} {...p} />}
          </Field>
          <Field name="port" label="Port" hint="Empty: 5432 for PostgreSQL, 3306 for MySQL or MariaDB." error={errors.port}>
            {(p) => <input name="port" inputMode="numeric" defaultValue={v("port")} {...p} />}
          </Field>
          <Field name="database" label="Database" error={errors.database}>
            {(p) => <input name="database" defaultValue={v("database")} spellCheck={false} {...p} />}
          </Field>
          {kind === "postgres" ? (
            <Field name="schema" label="Schema" hint="Empty: public." error={errors.schema}>
              {(p) => <input name="schema" defaultValue={v("schema")} spellCheck={false} {...p} />}
            </Field>
          ) : null}
          <Field name="tls" label="TLS" error={errors.tls}>
            {(p) => (
              <select name="tls" defaultValue={v("tls") || "off"} {...p}>
                <option value="off">Off (only on a private network)</option>
                <option value="require">Encrypted, certificate not checked</option>
                <option value="verify">Encrypted, certificate checked</option>
              </select>
            )}
          </Field>
        </>
      )}
      <Field
        name="user"
        label="User"
        hint={
          kind === "mailman"
            ? "The REST API's admin_user from the [webservice] section of mailman.cfg (and its admin_pass as the password)."
            : "A user of its own with only the rights the README lists."
        }
        error={errors.user}
      >
        {(p) => <input name="user" defaultValue={v("user")} spellCheck={false} autoComplete="off" {...p} />}
      </Field>
      <Field
        name="password"
        label="Password"
        hint={editing ? "Never shown. Leave empty to keep the stored password." : "Stored encrypted and never shown again."}
        error={errors.password}
      >
        {(p) => <input type="password" name="password" autoComplete="new-password" {...p} />}
      </Field>
      {kind !== "mailman" ? (
        <>
          <Field
            name="map"
            label="Dataset map"
            hint="JSON or YAML, as the README describes. It is checked against the database before it is saved; each problem names its line."
            error={errors.map}
          >
            {(p) => <textarea name="map" rows={16} spellCheck={false} defaultValue={v("map")} className="code" {...p} />}
          </Field>
          <div className="field">
            <label htmlFor="field-mapFile">Or upload the map as a file</label>
            <input type="file" id="field-mapFile" name="mapFile" accept=".json,.yaml,.yml,application/json,text/yaml" />
          </div>
          {!editing && kind === "mysql" ? (
            <div className="choice">
              <input type="checkbox" id="ready-civicrm" name="ready" value="civicrm" defaultChecked={typed.ready === "civicrm"} />
              <label htmlFor="ready-civicrm">
                <strong>CiviCRM</strong>: with the map empty, start from the ready map for CiviCRM&apos;s core tables
              </label>
            </div>
          ) : null}
        </>
      ) : null}
      <FieldError id="field-id" error={errors.id} />
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Checking…" : editing ? "Check and save" : "Check and add"}
        </button>
      </div>
    </form>
  );
}
