"use client";

import { useEffect, useRef, type ComponentProps } from "react";

/**
 * The queue's GET form. Its controls must show the view in the address bar:
 * a page brought back whole by the back button (the back-forward cache) still
 * holds what was chosen before leaving it, so it is reset to the values it was
 * rendered with. `autoComplete="off"` stops the browser restoring them otherwise.
 */
export function FilterForm(props: Omit<ComponentProps<"form">, "method" | "autoComplete">) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) form.current?.reset();
    };
    window.addEventListener("pageshow", onPageShow);
    return () => window.removeEventListener("pageshow", onPageShow);
  }, []);
  return <form {...props} ref={form} method="get" autoComplete="off" />;
}
