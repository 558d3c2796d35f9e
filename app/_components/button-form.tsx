"use client";

import { useState } from "react";

/**
 * One button posting a plain form to a route handler: it works without
 * JavaScript, and with it the button is disabled once pressed, so a double
 * click sends the link once rather than spending it and then failing.
 */
export function ButtonForm({ action, fields, label, pendingLabel }: { action: string; fields: Record<string, string>; label: string; pendingLabel: string }) {
  const [sent, setSent] = useState(false);
  return (
    <form method="post" action={action} onSubmit={() => setSent(true)}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className="primary" type="submit" disabled={sent}>
        {sent ? pendingLabel : label}
      </button>
    </form>
  );
}
