/**
 * Turns everything that can end or prevent a call into one "failure" — {kind, title, text, code}
 * — and renders the loading, error and left screens.
 *
 * `kind` is the contract's `data-error` vocabulary (not-found, disabled, expired, removed, ended,
 * full, media, unknown): tests and embedders switch on it, people read `title` and `text`.
 * Token-endpoint errors carry the HTTP status as `code` (404, 403, 429, …; 2003 = unreachable),
 * join and in-call errors the signalling protocol's codes (docs/signalling.md).
 */

import { h, icon } from './dom.mjs';

const TRY_AGAIN = 'Check your connection and try again.';

// Codes that mean the same thing whether they arrive as a join refusal or as a close code.
const BY_CODE = {
  404: ['not-found', 'This link doesn’t work', 'There is no room for the code in this link. Check the link, or ask the host for a new one.'],
  403: ['disabled', 'This link is disabled', 'The link has been turned off or the room is no longer active. Ask the host for a new link.'],
  429: ['unknown', 'Too many attempts', 'Please wait a minute, then try again.'],
  2003: ['unknown', 'Can’t reach the server', TRY_AGAIN],
  3001: ['media', 'Camera and microphone unavailable', 'Allow camera and microphone access in your browser’s address bar, then try again.'],
  4001: ['unknown', 'This link isn’t valid', 'The access token in this link was refused. Ask the host for a new link.'],
  4002: ['expired', 'Your access has expired', 'The token that let you in has expired. Rejoin to continue.'],
  4003: ['unknown', 'Too early to join', 'This link isn’t valid yet. Check your device’s clock, or try again later.'],
  4005: ['not-found', 'This room doesn’t exist', 'The room behind this link was not found. Ask the host for a new link.'],
  4006: ['disabled', 'This room is closed', 'The room has been disabled and nobody can join right now.'],
  4007: ['unknown', 'Your role no longer exists', 'The role this link grants was removed from the room. Ask the host for a new link.'],
  4008: ['unknown', 'This role can’t join', 'The role this link grants is not allowed to join calls.'],
  4009: ['full', 'The call is full', 'There is no more room for your role in this call. Try again later.'],
  4010: ['full', 'The call is full', 'This call has reached its maximum number of participants.'],
  4011: ['unknown', 'You’re already in this call', 'You joined from another tab or window. Leave there first, then try again.'],
  4202: ['expired', 'Your access has expired', 'The token that let you in expired during the call.'],
  4203: ['unknown', 'You joined somewhere else', 'You joined this call from another tab or device, so this one was closed.'],
  4500: ['unknown', 'The server is busy', 'The server couldn’t let you in just now. Try again in a moment.'],
  1001: ['unknown', 'The server restarted', 'The call was interrupted. Rejoin in a moment.'],
};

function failure(kind, title, text, code = null) {
  return { kind, title, text, code };
}

/** From a RoomgateError (token fetch, join, or the SDK's 3001 capture failure). */
export function describeError(err) {
  const known = BY_CODE[err?.code];
  if (known) return failure(...known, err.code);
  const detail = err?.message ? ` (${err.message})` : '';
  return failure('unknown', 'Something went wrong', `We couldn’t connect you to the call${detail}. ${TRY_AGAIN}`, err?.code ?? null);
}

/** Someone (a peer, or the server when `by` is null) removed us; they may say why. */
export function describeRemoved({ reason, by } = {}) {
  const who = by?.name ? by.name : 'The host';
  return failure('removed', 'You were removed from the call', withReason(`${who} removed you from the call`, reason), 4200);
}

export function describeEnded({ reason, lock, by } = {}) {
  const who = by?.name ? by.name : 'The host';
  const closed = lock ? ' The room is now closed.' : '';
  return failure('ended', 'The call has ended', withReason(`${who} ended the call for everyone`, reason) + closed, 4201);
}

export function describeTokenExpired() {
  return failure(...BY_CODE[4202], 4202);
}

/** The connection closed without one of the events above (or the SDK only reported the close). */
export function describeDisconnect({ code, reason } = {}) {
  if (code === 4200) return describeRemoved({});
  if (code === 4201) return describeEnded({});
  if (BY_CODE[code]) return failure(...BY_CODE[code], code);
  const detail = reason ? ` (${reason})` : '';
  return failure('unknown', 'You were disconnected', `The connection to the call was lost${detail}. Rejoin to continue.`, code ?? null);
}

function withReason(sentence, reason) {
  return reason ? `${sentence}: “${reason}”` : `${sentence}.`;
}

export function loadingScreen(text) {
  return h('section', { class: 'rg-screen rg-center', tabindex: -1, dataset: { screen: 'loading' }, 'aria-busy': 'true' },
    h('div', { class: 'rg-spinner', role: 'progressbar', 'aria-label': text }),
    h('p', { class: 'rg-muted', text }));
}

/** `onRetry` restarts the flow; removed/ended people may come back unless the host locked the room. */
export function errorScreen(fail, onRetry) {
  const retryLabel = fail.kind === 'removed' || fail.kind === 'ended' ? 'Rejoin' : 'Try again';
  return h('section', { class: 'rg-screen rg-center', tabindex: -1, dataset: { screen: 'error', error: fail.kind }, role: 'alert' },
    h('div', { class: 'rg-card rg-message' },
      h('span', { class: 'rg-message-icon' }, icon(fail.kind === 'ended' || fail.kind === 'removed' ? 'leave' : 'alert')),
      h('h1', { dataset: { testid: 'error-title' }, text: fail.title }),
      h('p', { class: 'rg-muted', dataset: { testid: 'error-text' }, text: fail.text }),
      h('button', {
        class: 'rg-btn rg-btn-primary', type: 'button', dataset: { testid: 'retry', autofocus: '' }, on: { click: onRetry },
      }, retryLabel)));
}

export function leftScreen(onRejoin) {
  return h('section', { class: 'rg-screen rg-center', tabindex: -1, dataset: { screen: 'left' } },
    h('div', { class: 'rg-card rg-message' },
      h('span', { class: 'rg-message-icon' }, icon('check')),
      h('h1', { text: 'You left the call' }),
      h('p', { class: 'rg-muted', text: 'Left by mistake? Rejoin with the same name and settings.' }),
      h('button', {
        class: 'rg-btn rg-btn-primary', type: 'button', dataset: { testid: 'rejoin', autofocus: '' }, on: { click: onRejoin },
      }, 'Rejoin')));
}
