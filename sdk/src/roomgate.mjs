/**
 * @roomgate/sdk — the browser SDK: join a roomgate room, publish camera / microphone / screen,
 * receive the others' media, and use the in-room powers. The API is the frozen contract in
 * sdk/README.md; the wire protocol is docs/signalling.md. Plain ES module, no dependencies.
 *
 *   import { getAuthTokenByRoomCode, RoomgateClient } from '/sdk/roomgate.mjs';
 *   const authToken = await getAuthTokenByRoomCode({ roomCode });
 *   const client = new RoomgateClient();   // talks to the roomgate that served this file
 *   client.on('remote-track', ({ track, stream }) => show(track.peer_id, stream));
 *   await client.join({ authToken, userName: 'Ada' });
 *   await client.publish({ audio: true, video: true });
 *
 * Structure: RoomgateClient owns one SignallingClient per join (signalling.mjs), the Track
 * registry (`tracks`), and turns protocol events into the SDK's events; LocalMedia
 * (local_media.mjs) owns our publications, RemoteMedia (remote_media.mjs) our subscriptions;
 * media.mjs holds the RTCPeerConnection plumbing; token.mjs the room-code exchange.
 *
 * Every failure is a RoomgateError (errors.mjs). Browser main thread only.
 */

import { SignallingClient, Emitter } from './signalling.mjs';
import { RoomgateError, toRoomgateError, refusal } from './errors.mjs';
import { defaultSignalUrl, normalizeSignalUrl } from './endpoints.mjs';
import { LocalMedia } from './local_media.mjs';
import { RemoteMedia } from './remote_media.mjs';
import { DEFAULT_ICE_GATHERING_TIMEOUT_MS } from './media.mjs';

export { getAuthTokenByRoomCode } from './token.mjs';
export { RoomgateError } from './errors.mjs';

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export class RoomgateClient extends Emitter {
  #server;
  #env;
  #requestTimeoutMs;
  #sc = null; // the current connection's SignallingClient; a new one per join
  #tracks = new Map();
  #noPeers = new Map();
  #local;
  #remote;

  /**
   * `server`: ws(s) URL of /v2/signal (http(s) accepted); default: the roomgate that served
   * this file. For tests and other runtimes the browser globals can be injected: `WebSocket`,
   * `RTCPeerConnection`, `MediaStream`, `mediaDevices`; and the bounds `requestTimeoutMs`
   * (default 10 s per request) and `iceGatheringTimeoutMs` (default 5 s per negotiation).
   */
  constructor({ server, WebSocket, RTCPeerConnection, MediaStream, mediaDevices, requestTimeoutMs, iceGatheringTimeoutMs } = {}) {
    super();
    this.#server = server ? normalizeSignalUrl(server) : defaultSignalUrl();
    this.#env = {
      WebSocket: WebSocket ?? globalThis.WebSocket,
      RTCPeerConnection: RTCPeerConnection ?? globalThis.RTCPeerConnection,
      MediaStream: MediaStream ?? globalThis.MediaStream,
      mediaDevices: mediaDevices ?? globalThis.navigator?.mediaDevices,
    };
    this.#requestTimeoutMs = requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const shared = {
      env: this.#env,
      iceGatheringTimeoutMs: iceGatheringTimeoutMs ?? DEFAULT_ICE_GATHERING_TIMEOUT_MS,
      request: (type, fields) => (this.#sc ? this.#sc.request(type, fields) : Promise.reject(notJoined(type))),
      iceServers: () => this.#sc?.media?.ice_servers ?? [],
      emitError: (e) => this.emit('error', e),
    };
    this.#local = new LocalMedia({
      ...shared,
      mediaAvailable: () => this.#sc?.media?.available,
      allowed: (kind) => this.canPublish(kind),
      tracks: {
        get: (id) => this.#tracks.get(id),
        add: (t) => this.#addTrack(t),
        update: (t) => this.#updateTrack(t),
        remove: (id) => this.#removeTrack(id),
      },
    });
    this.#remote = new RemoteMedia({ ...shared, getTrack: (id) => this.#tracks.get(id), emit: (type, p) => this.emit(type, p) });
  }

  // ---------------------------------------------------------------- state

  get server() {
    return this.#server;
  }
  get localPeer() {
    return this.#sc?.self ?? null;
  }
  get peers() {
    return this.#sc?.peers ?? this.#noPeers;
  }
  get policy() {
    return this.#sc?.policy ?? null;
  }
  get tracks() {
    return this.#tracks;
  }
  get permissions() {
    return this.policy?.role?.permissions ?? {};
  }
  /** False when the server said it has no media backend; true otherwise (or unknown). */
  get mediaAvailable() {
    return this.#sc?.media?.available !== false;
  }
  get localStream() {
    return this.#local.localStream;
  }
  get isAudioMuted() {
    return this.#local.isMuted('audio');
  }
  get isVideoMuted() {
    return this.#local.isMuted('video');
  }

  /** 'audio' | 'video' | 'screen': may this peer's role publish it? */
  canPublish(kind) {
    const allowed = this.policy?.role?.publishParams?.allowed;
    return Array.isArray(allowed) && allowed.includes(kind);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Resolves {localPeer, peers (the live Map of the others), policy}. */
  async join({ authToken, userName, metadata } = {}) {
    const action = 'JOIN';
    if (this.#sc && this.#sc.state !== 'closed') throw refusal(4103, 'already_joined', 'this client is already in a room: leave() first', action);
    if (!this.#server) throw new RoomgateError({ name: 'no_server', message: 'no signalling URL: pass {server}', action });
    let sc;
    try {
      sc = new SignallingClient({ url: this.#server, WebSocket: this.#env.WebSocket, requestTimeoutMs: this.#requestTimeoutMs });
    } catch (e) {
      throw toRoomgateError(e, action, 'client_error');
    }
    this.#teardown();
    this.#sc = sc;
    // Events can run before `await sc.join()` resumes (several frames in one read): the
    // handler reads everything it needs from `sc`, which the reply has already updated.
    sc.on('*', (payload, type) => this.#sc === sc && this.#onSignal(sc, type, payload));
    try {
      await sc.join({ token: authToken, name: userName, metadata });
    } catch (e) {
      void sc.close();
      throw toRoomgateError(e, action);
    }
    return { localPeer: this.localPeer, peers: this.peers, policy: this.policy };
  }

  /** Stops local media at once, then leaves; resolves once the connection is closed. */
  async leave() {
    const sc = this.#sc;
    this.#teardown();
    if (!sc || sc.state === 'closed') return;
    try {
      await sc.leave();
    } catch {
      await sc.close(1000, 'left'); // the server did not answer: leaving is ours to decide
    }
  }

  // ---------------------------------------------------------------- local media

  publish(options) {
    return this.#joined('PUBLISH', () => this.#local.publish(options));
  }
  unpublish(source = 'regular') {
    return this.#local.unpublish(source);
  }
  startScreenShare() {
    return this.#joined('SCREEN_SHARE', () => this.#local.startScreenShare());
  }
  stopScreenShare() {
    return this.#local.unpublish('screen');
  }
  setAudioMuted(muted) {
    return this.#local.setMuted('audio', muted);
  }
  setVideoMuted(muted) {
    return this.#local.setMuted('video', muted);
  }

  // ---------------------------------------------------------------- remote media

  /**
   * Shows one track (received, or one of our own) in a media element. Returns false when no
   * media for that track is here (yet): wait for 'remote-track'.
   */
  attach(trackId, element) {
    const mst = this.#remote.trackById(trackId) ?? this.#local.trackById(trackId);
    if (!mst || !element) return false;
    const current = element.srcObject?.getTracks?.();
    if (current?.length !== 1 || current[0] !== mst) element.srcObject = new this.#env.MediaStream([mst]);
    // Elements without `autoplay` need a nudge; a refusal (autoplay policy) is the page's to
    // handle on a user gesture, not an SDK error.
    element.play?.()?.catch?.(() => {});
    return true;
  }

  /** The peer's received tracks of `source` as one live MediaStream (our own: local capture). */
  streamOf(peerId, source = 'regular') {
    if (peerId && peerId === this.localPeer?.peer_id) return this.#local.streamOf(source);
    return this.#remote.streamOf(peerId, source);
  }

  // ---------------------------------------------------------------- in-room powers

  removePeer(peerId, reason) {
    return this.#call('REMOVE_PEER', (sc) => sc.removePeer(peerId, reason));
  }
  endRoom({ reason, lock } = {}) {
    return this.#call('END_ROOM', (sc) => sc.endRoom({ reason, lock }));
  }
  requestMute({ peerId, roles, track, mute } = {}) {
    return this.#call('REQUEST_MUTE', (sc) => sc.requestMute({ peerId, roles, track, mute }));
  }
  changeRole(peerId, role, { force } = {}) {
    return this.#call('CHANGE_ROLE', (sc) => sc.changeRole(peerId, role, { force }));
  }
  acceptRoleChange(requestId) {
    return this.#call('ACCEPT_ROLE_CHANGE', (sc) => sc.acceptRoleChange(requestId));
  }
  sendMessage(message, { type, peerId, roles } = {}) {
    return this.#call('SEND_MESSAGE', (sc) => sc.sendMessage({ message, type, peerId, roles }));
  }
  updateSelf({ name, metadata } = {}) {
    return this.#call('UPDATE_SELF', (sc) => sc.updateSelf({ name, metadata }));
  }
  refreshToken(token) {
    return this.#call('REFRESH_TOKEN', (sc) => sc.refreshToken(token));
  }

  async #call(action, fn) {
    if (!this.#sc) throw notJoined(action);
    try {
      return await fn(this.#sc);
    } catch (e) {
      throw toRoomgateError(e, action);
    }
  }

  // Media needs a joined session: checked before capture, so no camera prompt for nothing.
  async #joined(action, fn) {
    if (this.#sc?.state !== 'joined') throw notJoined(action);
    return fn();
  }

  // ---------------------------------------------------------------- protocol events

  #onSignal(sc, type, msg) {
    switch (type) {
      case 'peer-joined': return this.emit('peer-joined', msg.peer);
      case 'peer-left': return this.#onPeerLeft(msg);
      case 'peer-updated': return this.emit('peer-updated', { peer: msg.peer, changed: msg.changed ?? [] });
      case 'policy': return this.emit('role-changed', msg.policy);
      case 'message': return this.emit('message', withoutType(msg));
      case 'mute-request': return this.#onMuteRequest(msg);
      case 'role-change-request': return this.emit('role-change-request', { request_id: msg.request_id, from: msg.from ?? null, role: msg.role });
      case 'token-expiring': return this.emit('token-will-expire', { expires_at: msg.expires_at, seconds_left: msg.seconds_left });
      case 'track-added': return this.#addTrack(msg.track);
      case 'track-updated': return this.#updateTrack(msg.track);
      case 'track-removed': return this.#removeTrack(msg.track?.track_id);
      case 'subscribe-offer': return this.#remote.onOffer(msg);
      case 'subscription-closed': return this.#remote.onSubscriptionClosed(msg.subscription_id);
      case 'publication-closed': return this.#onPublicationClosed(msg);
      case 'media-error': return this.emit('error', mediaError(msg));
      case 'error-event': return this.emit('error', new RoomgateError({ code: msg.code ?? null, name: msg.error ?? 'error', message: msg.message, action: null }));
      // The connection is about to close: stop capturing now, not after the close handshake.
      case 'removed': return this.#endWith('removed', { reason: msg.reason, by: msg.by ?? null });
      case 'room-ended': return this.#endWith('room-ended', { reason: msg.reason, lock: Boolean(msg.lock), by: msg.by ?? null });
      case 'token-expired': return this.#endWith('token-expired', { expires_at: msg.expires_at });
      case 'replaced':
      case 'server-shutdown': return this.#teardown();
      case 'close':
        this.#teardown();
        // Only a joined session "disconnects"; a refused join already rejected join().
        if (sc.self) this.emit('disconnected', { code: msg.code, reason: msg.reason });
        return undefined;
      default: return undefined; // newer server events: ignored, as the protocol asks
    }
  }

  #endWith(type, payload) {
    this.#teardown();
    this.emit(type, payload);
  }

  #onPeerLeft(msg) {
    this.#remote.onPeerLeft(msg.peer_id);
    for (const track of [...this.#tracks.values()]) if (track.peer_id === msg.peer_id) this.#removeTrack(track.track_id);
    this.emit('peer-left', { peer_id: msg.peer_id, reason: msg.reason });
  }

  /** mute: true is obeyed before the UI hears of it; mute: false is only a request. */
  #onMuteRequest(msg) {
    const payload = { from: msg.from ?? null, track: msg.track, mute: msg.mute };
    if (msg.mute !== true) return this.emit('mute-request', payload);
    const apply = { audio: () => this.setAudioMuted(true), video: () => this.setVideoMuted(true), screen: () => this.stopScreenShare() }[msg.track];
    return Promise.resolve()
      .then(apply)
      .catch((e) => this.emit('error', toRoomgateError(e, 'TRACK')))
      .finally(() => this.emit('mute-request', payload));
  }

  #onPublicationClosed(msg) {
    const source = this.#local.onPublicationClosed(msg.publication_id);
    if (source === null) return;
    const code = { role_changed: 4104, media_error: 4501 }[msg.reason] ?? null;
    const err = new RoomgateError({ code, name: 'publication_closed', message: `roomgate closed your ${source} publication (${msg.reason})`, action: 'PUBLISH' });
    this.emit('error', Object.assign(err, { reason: msg.reason, source, publication_id: msg.publication_id }));
  }

  // ---------------------------------------------------------------- the Track registry

  #addTrack(track) {
    if (!track?.track_id) return;
    const known = this.#tracks.get(track.track_id);
    this.#tracks.set(track.track_id, track);
    if (!known) this.emit('track-added', track);
    else if (known.muted !== track.muted) this.emit('track-muted', track);
    this.#remote.onTrackKnown(track);
  }

  // An update for a track we do not know (already removed, or from before a teardown) is
  // stale: it must not bring the track back.
  #updateTrack(track) {
    const known = track?.track_id && this.#tracks.get(track.track_id);
    if (!known) return;
    this.#tracks.set(track.track_id, track);
    if (known.muted !== track.muted) this.emit('track-muted', track);
  }

  #removeTrack(trackId) {
    const known = this.#tracks.get(trackId);
    if (!known) return;
    this.#tracks.delete(trackId);
    this.#remote.onTrackGone(trackId);
    this.emit('track-removed', known);
  }

  /**
   * Closes every RTCPeerConnection and stops local capture; idempotent. Silent: the registry is
   * emptied first, so no 'track-removed' fires for a room the UI is leaving anyway.
   */
  #teardown() {
    this.#tracks.clear();
    this.#local.closeAll();
    this.#remote.closeAll();
  }
}

function notJoined(action) {
  return refusal(4102, 'not_joined', 'join a room first', action);
}

function withoutType({ type, ...rest }) {
  return rest;
}

function mediaError(msg) {
  const action = msg.subscription_id === undefined || msg.subscription_id === null ? 'MEDIA' : 'SUBSCRIBE';
  const err = new RoomgateError({ code: msg.code ?? null, name: msg.error ?? 'media_error', message: msg.message, action });
  if (action === 'SUBSCRIBE') err.subscription_id = msg.subscription_id;
  return err;
}
