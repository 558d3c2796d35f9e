/** Test helper: the successful result of filing, or an error saying why it was not filed. */
export function filed<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`Expected the request to be filed, but: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}
