/**
 * The Prebuilt app: loading → preview → call → left / error, mounted into any element (the
 * page at /meeting/<code> mounts into document.body, <roomgate-prebuilt> into its shadow root).
 *
 *   const app = mountApp(root, {roomCode, authToken, userId, name, nameLocked, skipPreview,
 *                               mode: 'meeting' | 'preview', endpoint, onClient, onEvent});
 *   app.client    // the current RoomgateClient, or null
 *   app.destroy() // leaves the call (if any) and empties `root`
 *
 * `endpoint` is the full URL of the token endpoint (default: the roomgate that served the SDK).
 * `onClient(client)` runs for every new client (one per join attempt); `onEvent(type, detail)`
 * reports 'joined' {peer}, 'left' {reason: 'left' | 'removed' | 'ended', message} and 'error'
 * {kind, code, message} to an embedder.
 *
 * Each join attempt is a "session" {client, over}. A session ends exactly once — by leaving or
 * by the first of removed / room-ended / token-expired / disconnect — and events of an ended or
 * superseded session are ignored, so a late 'disconnected' can never replace the "removed"
 * screen with a vaguer one.
 */

import { callScreen } from './call.mjs';
import {
  describeDisconnect, describeEnded, describeError, describeRemoved, describeTokenExpired,
  errorScreen, leftScreen, loadingScreen,
} from './errors.mjs';
import { previewScreen } from './preview.mjs';

const REFETCH_MARGIN_S = 60; // a token this close to `exp` is fetched again before joining

// Loaded on first use rather than imported statically, so a missing or broken SDK shows the
// error screen instead of a blank page.
let sdk = null;
function loadSdk() {
  sdk ??= import('/sdk/roomgate.mjs').catch((e) => {
    sdk = null;
    throw Object.assign(new Error(`the roomgate SDK could not be loaded: ${e.message}`), { code: null });
  });
  return sdk;
}

export function mountApp(root, options) {
  const opts = { ...options };
  if (opts.roomCode && !opts.userId) opts.userId = stableUserId(opts.roomCode);
  root.classList.add('rg-app');
  let screen = null; // {element, dispose?, notice?}
  let session = null; // {client, over}
  let token = opts.authToken || null;
  let lastChoice = null; // the preview's answer, reused to rejoin without asking again
  let destroyed = false;

  function show(next) {
    const incoming = next instanceof Node ? { element: next } : next;
    if (destroyed) return incoming.dispose?.(); // a step that finished after destroy()
    // Keyboard focus follows the screens (to the element marked data-autofocus), but is never
    // pulled into an embedded app from the host page — hence no native `autofocus`.
    const owner = root.getRootNode();
    const focusWasInside = root.contains(owner.activeElement);
    screen?.dispose?.();
    screen = incoming;
    root.replaceChildren(screen.element);
    if (focusWasInside) (screen.element.querySelector('[data-autofocus]') ?? screen.element).focus({ preventScroll: true });
  }

  function fail(failure) {
    if (failure.kind === 'expired' && opts.authToken) {
      failure.text = 'The link you used has expired. Ask for a new one to join again.';
    }
    show(errorScreen(failure, start));
    if (failure.kind === 'removed' || failure.kind === 'ended') {
      opts.onEvent?.('left', { reason: failure.kind, message: failure.text });
    } else {
      opts.onEvent?.('error', { kind: failure.kind, code: failure.code, message: failure.text });
    }
  }

  async function start() {
    show(loadingScreen('Getting your room ready…'));
    if (!opts.roomCode && !opts.authToken) return fail(describeError({ code: 404 }));
    try {
      token = await usableToken();
    } catch (e) {
      return fail(describeError(e));
    }
    if (lastChoice || opts.skipPreview) return join(lastChoice ?? skippedPreview());
    const { role } = claimsOf(token);
    show(previewScreen({
      mode: opts.mode, roleName: role, receiveOnly: looksReceiveOnly(role),
      name: opts.name, nameLocked: opts.nameLocked, onJoin: join,
    }));
  }

  async function join(choice) {
    lastChoice = choice;
    show(loadingScreen('Joining…'));
    const current = { client: null, over: false };
    session = current;
    try {
      const { RoomgateClient } = await loadSdk();
      token = await usableToken();
      current.client = new RoomgateClient();
      opts.onClient?.(current.client);
      watch(current);
      await current.client.join({ authToken: token, userName: choice.name });
    } catch (e) {
      return end(current, describeError(e));
    }
    if (current.over) return;
    // Only now: a refused join also closes the connection, and the refusal says more.
    current.client.on('disconnected', (e) => end(current, describeDisconnect(e)));
    show(callScreen({ client: current.client, choice, onLeave: () => leave(current) }));
    opts.onEvent?.('joined', { peer: current.client.localPeer });
  }

  function watch(current) {
    const { client } = current;
    client.on('removed', (e) => end(current, describeRemoved(e)));
    client.on('room-ended', (e) => end(current, e.by?.peer_id === client.localPeer?.peer_id
      ? { ...describeEnded(e), text: 'You ended the call for everyone.' }
      : describeEnded(e)));
    client.on('token-expired', () => end(current, describeTokenExpired()));
    client.on('token-will-expire', (e) => refreshToken(current, e));
  }

  function end(current, failure) {
    if (current.over || current !== session) return;
    current.over = true;
    fail(failure);
  }

  async function leave(current) {
    if (current.over) return;
    current.over = true;
    show(loadingScreen('Leaving…'));
    try {
      await current.client.leave();
    } catch {
      // Already disconnected: there is nothing left to leave.
    }
    show(leftScreen(start));
    opts.onEvent?.('left', { reason: 'left', message: 'You left the call.' });
  }

  // A room-code link can mint a fresh token itself; a token given in the link cannot be renewed
  // (and a code next to it may grant another role or user, so it is not used instead).
  async function refreshToken(current, { seconds_left: secondsLeft }) {
    const seconds = Math.max(0, Math.round(secondsLeft));
    const warn = (why) => screen?.notice?.(`Your access ends in about ${seconds} seconds. ${why}`, { tone: 'error' });
    if (opts.authToken) return warn('Ask for a new link to stay longer.');
    try {
      token = await fetchToken();
      if (!current.over) await current.client.refreshToken(token);
    } catch (e) {
      warn(describeError(e).text);
    }
  }

  async function usableToken() {
    if (opts.authToken) return opts.authToken;
    const { exp } = claimsOf(token);
    if (token && exp && exp - Date.now() / 1000 > REFETCH_MARGIN_S) return token;
    return fetchToken();
  }

  async function fetchToken() {
    const { getAuthTokenByRoomCode } = await loadSdk();
    const options = opts.endpoint ? { endpoint: opts.endpoint } : undefined;
    return getAuthTokenByRoomCode({ roomCode: opts.roomCode, userId: opts.userId }, options);
  }

  function skippedPreview() {
    return { name: opts.name || 'Guest', publish: { audio: true, video: true }, muted: { audio: false, video: false } };
  }

  start();

  return {
    get client() {
      return session?.client ?? null;
    },
    destroy() {
      destroyed = true;
      if (session && !session.over) {
        session.over = true;
        session.client?.leave().catch(() => {});
      }
      session = null;
      screen?.dispose?.();
      root.replaceChildren();
    },
  };
}

/**
 * The token's claims, read only to tailor the UI (role name, when to fetch a new token). The
 * server verifies the token; nothing here is trusted.
 */
function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) ?? {};
  } catch {
    return {};
  }
}

/**
 * Whether to skip the camera check. The token names the role but not what it may publish (that
 * arrives with the join), so this goes by 100ms's naming of audience roles ("viewer",
 * "hls-viewer", "viewer-realtime", …). A wrong guess costs little: after the join the real
 * policy decides, and a publishing role that skipped the check is offered to start media.
 */
function looksReceiveOnly(role) {
  return /viewer|audience|spectator/i.test(role ?? '');
}

/**
 * Without ?userId a link gets a random user_id, kept per code for the tab's lifetime so a
 * refresh comes back as the same user (100ms Prebuilt does the same).
 */
function stableUserId(roomCode) {
  const key = `roomgate:user:${roomCode}`;
  try {
    const kept = sessionStorage.getItem(key);
    if (kept) return kept;
    const id = uuid();
    sessionStorage.setItem(key, id);
    return id;
  } catch {
    return uuid(); // storage blocked (sandboxed iframe): a fresh id per load is still correct
  }
}

// crypto.randomUUID exists only in secure contexts; getRandomValues everywhere.
function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
