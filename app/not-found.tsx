import Link from "next/link";

export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>We could not find that page. If you followed a link to a request, check that you are signed in with the email address you used for it.</p>
      <p>
        <Link href="/">Go to the start page</Link>
      </p>
    </>
  );
}
