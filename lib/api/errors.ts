/**
 * How /api/v1 says no: JSON `{"error":{"code","message"}}` with a stable
 * code a program can act on and a sentence a person can read, never a stack
 * or a database message.
 */

export const API_ERROR_STATUS = {
  /** No key, a key that is not one, or one that was revoked. */
  unauthorized: 401,
  /** A good key without the scope this call needs. */
  forbidden: 403,
  not_found: 404,
  /** A method the address does not take; Allow names those it does. */
  method_not_allowed: 405,
  /** The body or query does not have the documented shape. */
  invalid_request: 400,
  /** A field this call does not take; the message names it. */
  unknown_field: 400,
  unsupported_media_type: 415,
  /** The body is larger than any call takes (64 KB). */
  too_large: 413,
  /** A body sent without saying its length (Content-Length). */
  length_required: 411,
  /** The key made more calls this minute than it may. */
  rate_limited: 429,
  /** A per-supporter limit (e.g. one open request of a type) refuses the request. */
  limit_reached: 422,
  server_error: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as ApiErrorCode[];

export type ApiErrorBody = { error: { code: ApiErrorCode; message: string } };

/** Answers never cached: they depend on the key and hold personal data. */
export const API_HEADERS = { "Cache-Control": "no-store" } as const;

export class ApiProblem extends Error {
  override name = "ApiProblem";
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function apiErrorBody(code: ApiErrorCode, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/** The code for a refusal the portal gives before the API sees the call (see proxy.ts). */
export function apiErrorCodeFor(status: number): ApiErrorCode {
  const found = (Object.entries(API_ERROR_STATUS) as Array<[ApiErrorCode, number]>).find(([code, s]) => s === status && code !== "unknown_field");
  return found?.[0] ?? "invalid_request";
}

export function apiErrorResponse(code: ApiErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return Response.json(apiErrorBody(code, message), { status: API_ERROR_STATUS[code], headers: { ...API_HEADERS, ...headers } });
}
