import type { ReactNode } from "react";

/**
 * A key or secret made just now, shown this once (only its hash, or its
 * sealed form, is kept): what it is for, then the value itself. Nothing
 * when there is no value.
 */
export function ShownOnce({ value, testId, children }: { value: string | undefined; testId: string; children: ReactNode }) {
  if (!value) return null;
  return (
    <div className="notice warning">
      <p>{children}</p>
      <p>
        <code data-testid={testId}>{value}</code>
      </p>
    </div>
  );
}
