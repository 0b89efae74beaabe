/**
 * Default endpoints, derived from where the SDK was loaded: roomgate serves the SDK at
 * /sdk/roomgate.mjs, so the roomgate that served it is the one to talk to, and a page on that
 * roomgate works with no configuration. Any other origin must pass its URLs explicitly.
 */

/** `ws(s)://<host>/v2/signal` for an http(s) base URL; null for file:, data:, ... */
export function defaultSignalUrl(base = import.meta.url) {
  const url = resolve('/v2/signal', base);
  if (!url) return null;
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else return null;
  return url.href;
}

/** `http(s)://<host>/v2/token` for an http(s) base URL; null otherwise. */
export function defaultTokenEndpoint(base = import.meta.url) {
  const url = resolve('/v2/token', base);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
}

/**
 * A signalling URL as given by the caller; http(s) is accepted for ws(s), since a page often
 * only knows its server's web address.
 */
export function normalizeSignalUrl(server) {
  const url = resolve(String(server), globalThis.location?.href);
  if (!url) return String(server);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.href;
}

function resolve(path, base) {
  try {
    return new URL(path, base);
  } catch {
    return null;
  }
}
