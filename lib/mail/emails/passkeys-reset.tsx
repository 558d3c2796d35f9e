import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  /** The admin who reset them. */
  resetBy: text,
  /** When, as the organisation's time zone writes it. */
  when: text,
  /** Whether the organisation requires staff to use a passkey: then a new one is added at the next sign-in. */
  passkeysRequired: z.boolean(),
  signInUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

/** To a staff member whose passkeys an admin removed: it is on the record, and they should know at once. */
export function PasskeysResetEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview="The passkeys of your staff account were removed."
      footer="You get this because you are on the staff list. Changes to staff accounts are on the record."
    >
      <Paragraph>
        {props.resetBy} removed every passkey of your staff account on {props.when}, and ended your sessions. This is recorded.
      </Paragraph>
      <Paragraph>
        {props.passkeysRequired
          ? "Next time you sign in with an emailed link, you will be asked to add a new passkey before you can open the dashboard."
          : "Until you add a new passkey, the emailed sign-in link alone opens your account. Add one again from Your account after signing in."}
      </Paragraph>
      <Paragraph>If you did not ask for this, tell another admin at once: someone may be trying to take over your account.</Paragraph>
      <ActionButton label="Sign in" url={props.signInUrl} />
    </Frame>
  );
}

export const passkeysResetMail = defineEmail({
  name: "passkeys-reset",
  toStaff: true,
  schema,
  subject: (p) => `The passkeys of your staff account at ${p.orgName} were removed`,
  Body: PasskeysResetEmail,
});
