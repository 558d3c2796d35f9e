/**
 * How Rightsdesk reaches a connected system, apart from its password: the
 * host, port, database and user of a database, or the REST address and user
 * of a Mailman server. Stored as JSON on the system's row; the password is
 * stored apart, sealed (see credentials.ts), and never shown again.
 */
import { z } from "zod";

export const DATABASE_KINDS = ["postgres", "mysql"] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];
export const CONNECTOR_KINDS = [...DATABASE_KINDS, "mailman"] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

export const CONNECTOR_KIND_LABELS: Record<ConnectorKind, string> = {
  postgres: "PostgreSQL database",
  mysql: "MySQL or MariaDB database",
  mailman: "Mailman 3 list server",
};

export const DEFAULT_PORTS: Record<DatabaseKind, number> = { postgres: 5432, mysql: 3306 };

/** off: plain TCP; require: encrypted, the certificate not checked; verify: encrypted, the certificate checked against the system's CAs. */
export const TLS_MODES = ["off", "require", "verify"] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export type DatabaseSettings = { host: string; port: number; database: string; user: string; schema: string; tls: TlsMode };
export type MailmanSettings = { url: string; user: string };

const NAME = /^[A-Za-z0-9_$.-]{1,63}$/;
const HOST = /^[A-Za-z0-9.:[\]-]{1,253}$/;

export const databaseSettingsSchema = z.object({
  host: z.string().trim().regex(HOST, { error: "Enter the database server's host name or IP address, such as db.example.org." }),
  port: z.coerce
    .number({ error: "The port must be a number between 1 and 65535." })
    .int({ error: "The port must be a number between 1 and 65535." })
    .min(1, { error: "The port must be a number between 1 and 65535." })
    .max(65535, { error: "The port must be a number between 1 and 65535." }),
  database: z.string().trim().regex(NAME, { error: "Enter the database's name (letters, digits, _ . - and $; at most 63)." }),
  user: z.string().trim().regex(NAME, { error: "Enter the database user's name (letters, digits, _ . - and $; at most 63)." }),
  schema: z
    .string()
    .trim()
    .regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, { error: "The schema must be a plain name, such as public." })
    .default("public"),
  tls: z.enum(TLS_MODES, { error: "Choose off, require or verify for TLS." }).default("off"),
});

export const mailmanSettingsSchema = z.object({
  url: z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          const u = new URL(v);
          return (u.protocol === "https:" || u.protocol === "http:") && u.username === "" && u.password === "" && !u.search && !u.hash;
        } catch {
          return false;
        }
      },
      { error: "Enter the REST API's address, such as https://lists.example.org:8001/3.1 (no user name or password in it)." },
    )
    .transform((v) => v.replace(/\/+$/, "")),
  user: z.string().trim().min(1, { error: "Enter the REST API's user name." }).max(100, { error: "The user name is at most 100 characters." }),
});
