/** The admin's retry form: which failed message to retry, or all of them. */
export type RetryTarget = { ids: number[] | "all" };

export function parseRetryTarget(input: Record<string, string>): { ok: true; value: RetryTarget } | { ok: false; fieldErrors: Record<string, string> } {
  const which = (input.message ?? "").trim();
  if (which === "all") return { ok: true, value: { ids: "all" } };
  if (/^[1-9]\d{0,15}$/.test(which)) return { ok: true, value: { ids: [Number(which)] } };
  return { ok: false, fieldErrors: { message: "Choose a message to retry." } };
}
