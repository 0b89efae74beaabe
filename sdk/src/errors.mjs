/**
 * RoomgateError — the one error type the browser SDK rejects with and emits as 'error'.
 *
 * `code` is the server's protocol code when the server refused (4104, 4112, 4501, ... see
 * docs/signalling.md), the token endpoint's JSON `code` for GET_TOKEN (404, 403, 429, ...), or
 * one of the SDK's own codes below; `null` for local failures that have no code (a timeout, a
 * closed connection: `name` says which). `name` is the protocol's error string
 * ('permission_denied', ...) so a UI can switch on either. `action` names what failed.
 */

import { SignallingError } from './signalling.mjs';

/** Codes the SDK assigns itself (100ms's numbers where 100ms has one). */
export const LocalCodes = Object.freeze({
  ENDPOINT_UNREACHABLE: 2003, // the token endpoint could not be reached
  CANT_ACCESS_CAPTURE_DEVICE: 3001, // getUserMedia / getDisplayMedia refused or failed
});

export class RoomgateError extends Error {
  constructor({ code = null, name = 'error', message, action = null, cause } = {}) {
    super(message || name, cause === undefined ? undefined : { cause });
    this.code = code;
    this.name = name;
    this.action = action;
  }
}

/**
 * Any failure → RoomgateError with `action`. A SignallingError keeps the server's code and
 * error string; anything else (a DOMException or TypeError from WebRTC, ...) gets
 * `fallbackName`, its own name going into the message, so the UI sees one type.
 */
export function toRoomgateError(e, action, fallbackName = 'webrtc_error') {
  if (e instanceof RoomgateError) {
    if (e.action === null) e.action = action;
    return e;
  }
  if (e instanceof SignallingError) {
    return new RoomgateError({ code: e.code, name: e.error ?? 'error', message: e.message, action, cause: e });
  }
  const detail = e?.name && e?.message ? `${e.name}: ${e.message}` : String(e?.message ?? e);
  return new RoomgateError({ name: fallbackName, message: detail, action, cause: e });
}

/** A capture failure (camera, microphone, screen): 3001 with the browser's reason. */
export function captureError(e, action) {
  return new RoomgateError({
    code: LocalCodes.CANT_ACCESS_CAPTURE_DEVICE,
    name: 'cant_access_capture_device',
    message: `${e?.name ?? 'Error'}: ${e?.message ?? e}`,
    action,
    cause: e,
  });
}

/** The same refusal the server would give, decided locally to avoid a pointless round trip. */
export function refusal(code, name, message, action) {
  return new RoomgateError({ code, name, message, action });
}

/** True when `e` only says the thing is already gone: nothing left to undo. */
export function isGone(e) {
  const gone = ['closed', 'not_connected', 'not_joined'];
  return e?.code === 4113 || gone.includes(e?.error) || gone.includes(e?.name);
}
