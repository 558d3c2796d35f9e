"use client";

export default function ErrorPage({ error }: { error: Error & { digest?: string } }) {
  return (
    <>
      <h1>Something went wrong</h1>
      <p>
        Something went wrong on our side. Nothing you did caused it. Please try again in a moment.
        {error.digest ? ` If it keeps happening, tell us error ${error.digest}.` : ""}
      </p>
    </>
  );
}
