/**
 * A link between the portal's own pages: Next's <Link> (the page changes
 * without a full load) that fetches nothing ahead of a click. Next's default
 * asks the server for every link on a page as it comes into view or under
 * the pointer, so one view of the home page cost the server thirteen
 * renders, and a staff page one for each link in its menu; every page here
 * depends on the session and is rendered when it is asked for, so what was
 * fetched ahead was thrown away at the click. Measured on the production
 * build, fifteen views of the home page, each in a new browser: the server
 * 2.2–2.9 s of processor time with prefetching, 0.9–1.0 s without; the
 * browser 12.0–12.5 s against 10.3–11.3 s. Every link to a page of the
 * portal goes through this one.
 */
import NextLink from "next/link";
import type { ComponentProps } from "react";

export function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
