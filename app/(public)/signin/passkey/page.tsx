import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PasskeyCeremony } from "@/app/_components/passkey-ceremony";
import { isStaff } from "@/lib/auth/load-viewer";
import { linkDestination } from "@/lib/auth/sign-in-link";
import { relyingPartyFor } from "@/lib/auth/webauthn";
import { getSettings } from "@/server/settings";
import { getViewer } from "@/server/viewer";
import { signOut } from "../actions";

export const metadata: Metadata = { title: "Confirm it is you" };

/**
 * Where a staff member lands after the emailed link when their account has
 * a passkey (or must add one): the dashboard opens only after this step.
 */
export default async function PasskeyStepPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const { appUrl, orgName } = getSettings();
  const destination = linkDestination(typeof next === "string" ? next : undefined, appUrl);
  const viewer = await getViewer();
  if (!viewer) redirect(`/signin?next=${encodeURIComponent(destination)}`);
  if (!viewer.awaiting) redirect(isStaff(viewer) ? destination : "/requests");
  const rp = relyingPartyFor(appUrl, orgName);
  return (
    <>
      <h1>{viewer.awaiting === "passkey" ? "Use your passkey" : "Add a passkey to go on"}</h1>
      {viewer.awaiting === "passkey" ? (
        <p className="lede">
          The emailed link signed you in as {viewer.email}. Your staff account also asks for one of your passkeys, so that
          someone who reads your email cannot open the dashboard.
        </p>
      ) : (
        <p className="lede">
          {orgName} asks every staff member to use a passkey as well as the emailed link. Add one now: it is kept on this
          device (or your phone, or a security key) and from now on you will be asked for it after the link.
        </p>
      )}
      {!rp.ok ? (
        <p className="notice error" role="alert">
          {rp.message} Ask whoever runs the portal to set APP_URL to its address by name.
        </p>
      ) : viewer.awaiting === "passkey" ? (
        <PasskeyCeremony mode="authenticate" next={destination} buttonLabel="Use my passkey" />
      ) : (
        <PasskeyCeremony mode="register" next={destination} buttonLabel="Add a passkey and go on" />
      )}
      <p className="muted">
        Lost your passkeys? Another admin can reset them from the team page; you will then be emailed.
      </p>
      <form action={signOut}>
        <button className="link-button" type="submit">
          Sign out instead
        </button>
      </form>
    </>
  );
}
