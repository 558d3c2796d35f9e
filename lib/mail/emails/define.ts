import type { ReactElement } from "react";
import type { z } from "zod";
import type { MailBrand } from "./parts";

/**
 * One email, in the one file that holds it: the name the outbox stores it
 * under, the schema of the props it is rendered with (checked again when the
 * worker reads them back, so a row written by an older version or by hand
 * fails loudly instead of rendering "undefined" into someone's inbox), its
 * subject and its body.
 *
 * Subjects never contain anything a supporter typed, so nothing they type
 * can reach a mail header.
 */
export type EmailDefinition<N extends string, S extends z.ZodType> = {
  name: N;
  schema: S;
  subject: (props: z.infer<S>) => string;
  Body: (input: { props: z.infer<S>; brand: MailBrand }) => ReactElement;
  /**
   * Mail to staff about their work (notices, the digest, alerts). It carries
   * no supporter's choices: no one-click unsubscribe header and no footer
   * links to the preference centre, which would file an unsubscribe for the
   * staff member's address and stop nothing they get. Their own settings say
   * how to stop these.
   */
  toStaff?: true;
};

/**
 * An email, and `draft`, which fixes its subject now: the body is rendered
 * when the worker sends it, because rendering is asynchronous and drafts are
 * queued inside the synchronous transaction of the change they report. The
 * props are stored as the schema reads them (anything else is left out).
 */
export function defineEmail<N extends string, S extends z.ZodType>(definition: EmailDefinition<N, S>) {
  return {
    ...definition,
    draft(props: z.input<S>): { subject: string; template: { name: N; props: z.infer<S> } } {
      const read = definition.schema.parse(props);
      return { subject: definition.subject(read), template: { name: definition.name, props: read } };
    },
  };
}
