/**
 * LocalMedia — this peer's publications: capture, one sendonly RTCPeerConnection per source
 * ('regular' = camera + microphone, 'screen'), negotiation through roomgate's `publish`, mute
 * state, teardown. Used by RoomgateClient (roomgate.mjs); not part of the public API.
 *
 * Mute is a preference that outlives publications: set before publishing, it is applied to the
 * captured tracks and declared in the offer; set while a publish is in flight, it is sent as
 * soon as the publication is live. `track.enabled = false` keeps the RTP flowing (silence,
 * black frames), so unmuting needs no renegotiation.
 *
 * `ctx` (from the client): env {mediaDevices, RTCPeerConnection}, iceGatheringTimeoutMs,
 * request(type, fields) → Promise, iceServers(), mediaAvailable() (false only when the server
 * said so), allowed(kind), tracks {get, add, update, remove} (the client's Track registry),
 * emitError(RoomgateError).
 */

import { PublishConnection, ConnectionClosedError } from './media.mjs';
import { RoomgateError, toRoomgateError, captureError, refusal, isGone } from './errors.mjs';

const KINDS = ['audio', 'video'];

export class LocalMedia {
  #ctx;
  #pubs = new Map(); // source → Publication (pending or live)
  #muted = { audio: false, video: false };
  #muteQueues = { audio: Promise.resolve(), video: Promise.resolve() };

  constructor(ctx) {
    this.#ctx = ctx;
  }

  /** The regular publication's captured stream (as soon as captured), or null. */
  get localStream() {
    return this.#pubs.get('regular')?.stream ?? null;
  }

  streamOf(source) {
    return this.#pubs.get(source)?.stream ?? null;
  }

  isMuted(kind) {
    return this.#muted[kind];
  }

  /** The local MediaStreamTrack behind one of our published track_ids, or null. */
  trackById(trackId) {
    for (const pub of this.#pubs.values()) {
      for (const [kind, id] of pub.trackIds) {
        if (id === trackId) return pub.stream?.getTracks().find((t) => t.kind === kind) ?? null;
      }
    }
    return null;
  }

  /**
   * Camera and/or microphone, as far as the role allows. `audio` / `video`: true, false, or
   * MediaTrackConstraints (e.g. {deviceId}). Resolves without doing anything when nothing is
   * both asked for and allowed.
   */
  async publish({ audio = true, video = true } = {}) {
    const wanted = {
      audio: audio && this.#ctx.allowed('audio') ? audio : false,
      video: video && this.#ctx.allowed('video') ? video : false,
    };
    if (!wanted.audio && !wanted.video) return;
    const devices = this.#ctx.env.mediaDevices;
    await this.#publish('regular', 'PUBLISH', () => devices.getUserMedia(wanted));
  }

  async startScreenShare() {
    const action = 'SCREEN_SHARE';
    if (!this.#ctx.allowed('screen')) {
      throw refusal(4104, 'permission_denied', 'your role may not share its screen (publishParams.allowed lacks "screen")', action);
    }
    const devices = this.#ctx.env.mediaDevices;
    await this.#publish('screen', action, () => devices.getDisplayMedia({ video: true, audio: false }));
  }

  /** Stops a source; resolves once roomgate confirmed (or there was nothing to stop). */
  async unpublish(source) {
    const pub = this.#pubs.get(source);
    if (!pub) return;
    const { id, live } = pub;
    this.#discard(pub);
    // A publish still in flight notices the discard and unpublishes what the server holds.
    if (!live || !id) return;
    try {
      await this.#ctx.request('unpublish', { publication_id: id });
    } catch (e) {
      if (!isGone(e)) throw toRoomgateError(e, source === 'screen' ? 'SCREEN_SHARE' : 'UNPUBLISH');
    }
  }

  /** Applies at once to the captured track; resolves once roomgate knows (if publishing). */
  setMuted(kind, muted) {
    this.#muted[kind] = Boolean(muted);
    this.#applyMute(this.#pubs.get('regular'));
    return this.#syncMute(kind);
  }

  /** The server withdrew a publication; returns its source, or null if it was not ours. */
  onPublicationClosed(publicationId) {
    for (const pub of this.#pubs.values()) {
      if (pub.id !== null && pub.id === publicationId) {
        this.#discard(pub);
        return pub.source;
      }
    }
    return null;
  }

  /** Leaves nothing behind: every connection closed, every captured track stopped. */
  closeAll() {
    for (const pub of [...this.#pubs.values()]) this.#discard(pub);
  }

  // ---------------------------------------------------------------- publishing, step by step

  async #publish(source, action, capture) {
    if (this.#ctx.mediaAvailable() === false) {
      throw refusal(4501, 'media_unavailable', 'this roomgate has no media backend', action);
    }
    if (this.#pubs.has(source)) {
      throw refusal(4112, 'already_publishing', `a ${source} publication is already live: unpublish it first`, action);
    }
    const pub = { source, id: null, live: false, closed: false, stream: null, conn: null, trackIds: new Map() };
    this.#pubs.set(source, pub); // claims the source before the first await: no double publish
    try {
      pub.stream = await this.#capture(capture, action);
      this.#assertOpen(pub);
      this.#prepareTracks(pub);
      const offer = await this.#offer(pub);
      const result = await this.#ctx.request('publish', { source, sdp: offer.sdp, tracks: offer.tracks });
      pub.id = result.publication_id ?? null;
      this.#assertOpen(pub);
      await pub.conn.accept(result.sdp);
      this.#assertOpen(pub);
      this.#goLive(pub, result.tracks ?? []);
    } catch (e) {
      const stopped = pub.closed; // by unpublish() or leave, not by this failure
      this.#discard(pub);
      // The server may hold a publication we will never feed: give it back.
      if (pub.id) this.#ctx.request('unpublish', { publication_id: pub.id }).catch(() => {});
      throw stopped ? stoppedError(e, action, source) : toRoomgateError(e, action);
    }
    if (source === 'regular') {
      // Mute toggled while the publish was in flight: bring the server up to date.
      for (const kind of pub.trackIds.keys()) this.#syncMute(kind).catch((e) => this.#ctx.emitError(e));
    }
  }

  async #capture(capture, action) {
    if (!this.#ctx.env.mediaDevices) {
      // Browsers hide mediaDevices outside secure contexts: say so rather than "undefined".
      const why = new Error('navigator.mediaDevices is unavailable: serve the page over https (or from localhost)');
      throw captureError(Object.assign(why, { name: 'NotSupportedError' }), action);
    }
    try {
      return await capture();
    } catch (e) {
      throw captureError(e, action);
    }
  }

  #prepareTracks(pub) {
    if (pub.source === 'regular') {
      this.#applyMute(pub);
      return;
    }
    // The browser's own "Stop sharing" button ends the track: end the publication with it.
    for (const track of pub.stream.getTracks()) {
      track.addEventListener('ended', () => {
        if (this.#pubs.get(pub.source) === pub) this.unpublish(pub.source).catch((e) => this.#ctx.emitError(e));
      });
    }
  }

  async #offer(pub) {
    pub.conn = new PublishConnection({
      RTCPeerConnection: this.#ctx.env.RTCPeerConnection,
      iceServers: this.#ctx.iceServers(),
      iceGatheringTimeoutMs: this.#ctx.iceGatheringTimeoutMs,
      onFailed: () =>
        this.#ctx.emitError(
          new RoomgateError({ name: 'ice_failed', message: `the ${pub.source} publication's connection failed`, action: 'PUBLISH' }),
        ),
    });
    const offer = await pub.conn.offer(pub.stream);
    this.#assertOpen(pub);
    const muted = (kind) => pub.source === 'regular' && this.#muted[kind];
    return { sdp: offer.sdp, tracks: offer.tracks.map((t) => ({ ...t, muted: muted(t.kind) })) };
  }

  #goLive(pub, tracks) {
    pub.live = true;
    for (const track of tracks) {
      if (!track?.track_id) continue;
      pub.trackIds.set(track.kind, track.track_id);
      this.#ctx.tracks.add(track);
    }
  }

  #assertOpen(pub) {
    if (pub.closed) throw new ConnectionClosedError();
  }

  /** Idempotent: closes the connection, stops capture, forgets the source and its tracks. */
  #discard(pub) {
    pub.closed = true;
    pub.live = false;
    if (this.#pubs.get(pub.source) === pub) this.#pubs.delete(pub.source);
    pub.conn?.close();
    for (const track of pub.stream?.getTracks() ?? []) track.stop();
    for (const id of pub.trackIds.values()) this.#ctx.tracks.remove(id);
    pub.trackIds.clear();
  }

  // ---------------------------------------------------------------- mute

  #applyMute(pub) {
    if (pub?.source !== 'regular') return;
    for (const track of pub.stream?.getTracks() ?? []) {
      if (KINDS.includes(track.kind)) track.enabled = !this.#muted[track.kind];
    }
  }

  /**
   * Brings the server's `muted` in line with the preference. Serialised per kind and reading
   * the preference when it runs, so quick toggles end in the last state asked for instead of
   * racing each other's replies.
   */
  #syncMute(kind) {
    const run = this.#muteQueues[kind].then(() => this.#sendMute(kind));
    this.#muteQueues[kind] = run.catch(() => {});
    return run;
  }

  async #sendMute(kind) {
    const pub = this.#pubs.get('regular');
    const trackId = pub?.live ? pub.trackIds.get(kind) : undefined;
    const track = trackId && this.#ctx.tracks.get(trackId);
    const want = this.#muted[kind];
    if (!track || track.muted === want) return;
    try {
      const result = await this.#ctx.request('mute-track', { track_id: trackId, muted: want });
      if (result?.track) this.#ctx.tracks.update(result.track);
    } catch (e) {
      if (!isGone(e)) throw toRoomgateError(e, 'TRACK');
    }
  }
}

/** A publish ended by unpublish() or leave rejects as 'closed', whatever step it was in. */
function stoppedError(e, action, source) {
  return new RoomgateError({ name: 'closed', message: `the ${source} publication was stopped before it went live`, action, cause: e });
}
