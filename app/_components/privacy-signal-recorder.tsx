"use client";

import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Puts the browser's privacy signal on record for the person signed in: the
 * page posts it once it has loaded (the POST carries the browser's own
 * Sec-GPC header, which is what the server checks). Without JavaScript, the
 * button does the same.
 */
export function PrivacySignalRecorder({ words }: { words: { received: string; recorded: string; recording: string; recordNow: string; tryAgain: string } }) {
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
        {words.received} {state === "recorded" ? words.recorded : words.recording}
      </p>
      {state === "recorded" ? null : (
        <form method="post" action="/privacy-signal" style={{ margin: "0.5rem 0 0" }}>
          <input type="hidden" name="back" value={path} />
          <button className="link-button" type="submit">
            {state === "failed" ? words.tryAgain : words.recordNow}
          </button>
        </form>
      )}
    </div>
  );
}
