"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Puts the browser's privacy signal on record for the person signed in: the
 * page posts it once it has loaded (the POST carries the browser's own
 * Sec-GPC header, which is what the server checks). Without JavaScript, the
 * button does the same.
 */
export function PrivacySignalRecorder({ received, meaning, email }: { received: string; meaning: string; email: string }) {
  const path = usePathname() ?? "/requests";
  const [state, setState] = useState<"recording" | "recorded" | "failed">("recording");
  useEffect(() => {
    const body = new FormData();
    body.set("back", path);
    fetch("/privacy-signal", { method: "POST", body, headers: { accept: "application/json" } })
      .then((answer) => setState(answer.ok ? "recorded" : "failed"))
      .catch(() => setState("failed"));
  }, [path]);
  return (
    <div className={`notice${state === "recorded" ? " success" : ""}`} role="status">
      <p style={{ margin: 0 }}>
        {received}{" "}
        {state === "recorded" ? `It is now on record for ${email}, as ${meaning}.` : `We honour it as ${meaning}, and put it on record for ${email}.`}
      </p>
      {state === "recorded" ? null : (
        <form method="post" action="/privacy-signal" style={{ margin: "0.5rem 0 0" }}>
          <input type="hidden" name="back" value={path} />
          <button className="link-button" type="submit">
            {state === "failed" ? "That did not work: try again" : "Put it on record now"}
          </button>
        </form>
      )}
    </div>
  );
}
