/**
 * getAuthTokenByRoomCode — trades a room code for an auth token at roomgate's public
 * POST /v2/token, with the request and retry behaviour of 100ms's web SDK so a page written for
 * 100ms behaves the same against roomgate.
 *
 * Wire shape: body `JSON.stringify({code, user_id})` (user_id absent when not given) and no
 * headers of ours. fetch then labels the string `text/plain;charset=UTF-8`, which keeps the
 * request "simple" for CORS (no preflight); roomgate parses the body as JSON whatever the
 * Content-Type, as 100ms's endpoint does.
 *
 * Retries: up to 4 attempts, back to back, only when another attempt might succeed — the
 * endpoint was unreachable, answered something that is not JSON (a proxy's error page), or said
 * 429 / 5xx. A 404 (unknown code) or 403 (disabled) will not change, and retrying failed
 * redemptions would only feed the server's brute-force guard.
 */

import { RoomgateError, LocalCodes } from './errors.mjs';
import { defaultTokenEndpoint } from './endpoints.mjs';

const MAX_ATTEMPTS = 4;
// 100ms sets no timeout; one hung attempt would hang the page forever, so each gets a bound.
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;
const ACTION = 'GET_TOKEN';

const NAMES = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 429: 'rate_limited' };

/**
 * Resolves to the token string; rejects with RoomgateError {code, message, action:'GET_TOKEN'}.
 * `endpoint`: the full URL of the token endpoint, used verbatim (default: /v2/token on the
 * roomgate that served this file). `timeoutMs`: per attempt (default 10 s).
 */
export async function getAuthTokenByRoomCode({ roomCode, userId } = {}, { endpoint, timeoutMs } = {}) {
  const url = endpoint ?? defaultTokenEndpoint();
  if (!url) {
    throw new RoomgateError({ code: LocalCodes.ENDPOINT_UNREACHABLE, name: 'endpoint_unreachable', message: 'no token endpoint: pass {endpoint}', action: ACTION });
  }
  const body = JSON.stringify({ code: roomCode, user_id: userId });
  let failure;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const outcome = await attemptOnce(String(url), body, timeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS);
    if (outcome.token !== undefined) return outcome.token;
    failure = outcome.error;
    if (!outcome.retry) break;
  }
  throw failure;
}

/** One POST; resolves {token} or {error, retry}. Never rejects. */
async function attemptOnce(url, body, timeoutMs) {
  let response;
  try {
    response = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    return { retry: true, error: unreachable(url, e) };
  }
  let data;
  try {
    data = await response.json();
  } catch {
    return { retry: true, error: notJson(url, response) };
  }
  if (response.ok) {
    if (typeof data?.token === 'string' && data.token) return { token: data.token };
    return { retry: false, error: failed(response.status, 'bad_response', 'the token endpoint answered without a token') };
  }
  const code = Number.isInteger(data?.code) ? data.code : response.status;
  const retry = isTransient(response.status) || isTransient(code);
  return { retry, error: failed(code, null, data?.message || `token request failed (HTTP ${response.status})`) };
}

function isTransient(code) {
  return code === 429 || (code >= 500 && code <= 599);
}

function failed(code, name, message) {
  const fallback = code >= 500 && code <= 599 ? 'server_error' : 'token_request_failed';
  return new RoomgateError({ code, name: name ?? NAMES[code] ?? fallback, message, action: ACTION });
}

function unreachable(url, e) {
  const why = e?.name === 'TimeoutError' ? 'timed out' : e?.cause?.code || e?.message || String(e);
  return new RoomgateError({
    code: LocalCodes.ENDPOINT_UNREACHABLE,
    name: 'endpoint_unreachable',
    message: `token endpoint ${url} unreachable (${why})`,
    action: ACTION,
    cause: e,
  });
}

// An error status keeps its number (a 502 from a proxy is still a 502); a 200 that is not JSON
// means the URL is not a token endpoint at all, which is "unreachable" for the caller.
function notJson(url, response) {
  if (!response.ok) return failed(response.status, null, `token endpoint answered HTTP ${response.status} without JSON`);
  return new RoomgateError({
    code: LocalCodes.ENDPOINT_UNREACHABLE,
    name: 'endpoint_unreachable',
    message: `${url} did not answer JSON: is it roomgate's /v2/token?`,
    action: ACTION,
  });
}
