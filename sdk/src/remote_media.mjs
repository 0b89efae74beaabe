/**
 * RemoteMedia — what this peer receives: one recvonly RTCPeerConnection per subscription
 * (answered from roomgate's `subscribe-offer`), the received MediaStreamTracks by track_id, and
 * one live MediaStream per (peer, source) for the UI. Used by RoomgateClient (roomgate.mjs);
 * not part of the public API.
 *
 * A received track is matched to its track_id through the offer's `tracks[{track_id, mid}]`
 * and the receiving transceiver's mid. It joins its peer's stream once its Track (from
 * `track-added`, which roomgate sends before the offer) is known, and 'remote-track' fires once
 * media has actually arrived: the browser unmutes a received track on its first packets.
 *
 * `ctx` (from the client): env {RTCPeerConnection, MediaStream}, iceGatheringTimeoutMs,
 * request(type, fields) → Promise, iceServers(), getTrack(track_id), emit(type, payload),
 * emitError(RoomgateError).
 */

import { SubscribeConnection } from './media.mjs';
import { RoomgateError, toRoomgateError } from './errors.mjs';

export class RemoteMedia {
  #ctx;
  #subs = new Map(); // subscription_id → {id, peerId, mids: Map mid → track_id, conn}
  #received = new Map(); // track_id → {trackId, mst, sub, stream, key, announced}
  #streams = new Map(); // streamKey(peer_id, source) → MediaStream

  constructor(ctx) {
    this.#ctx = ctx;
  }

  /** MediaStream of a peer's received tracks of one source, or null when none. */
  streamOf(peerId, source = 'regular') {
    return this.#streams.get(streamKey(peerId, source)) ?? null;
  }

  /** The received MediaStreamTrack for a track_id, or null. */
  trackById(trackId) {
    return this.#received.get(trackId)?.mst ?? null;
  }

  /**
   * `subscribe-offer`: answer it on the subscription's own connection (made on first sight).
   * Answers run in the background, so offers for different subscriptions proceed in parallel.
   */
  onOffer(msg) {
    const id = msg.subscription_id;
    if (id === undefined || id === null || typeof msg.sdp !== 'string') {
      this.#ctx.emitError(new RoomgateError({ name: 'bad_offer', message: 'a subscribe-offer without subscription_id or sdp', action: 'SUBSCRIBE' }));
      return;
    }
    let sub = this.#subs.get(id);
    if (!sub) {
      try {
        sub = this.#open(msg);
      } catch (e) {
        this.#ctx.emitError(toRoomgateError(e, 'SUBSCRIBE'));
        return;
      }
    }
    // Before setRemoteDescription: the 'track' events it fires look the mids up here.
    for (const t of Array.isArray(msg.tracks) ? msg.tracks : []) {
      if (t?.mid !== undefined && t?.mid !== null && t.track_id) sub.mids.set(String(t.mid), t.track_id);
    }
    sub.conn
      .answer(msg.sdp)
      .then((sdp) => {
        if (this.#subs.get(id) !== sub) return undefined;
        return this.#ctx.request('subscribe-answer', { subscription_id: id, sdp });
      })
      .catch((e) => {
        // Closed meanwhile (subscription-closed, peer left, leave): nothing went wrong.
        if (this.#subs.get(id) !== sub) return;
        this.#close(sub);
        this.#ctx.emitError(Object.assign(toRoomgateError(e, 'SUBSCRIBE'), { subscription_id: id }));
      });
  }

  /** `subscription-closed` (or our own decision): close its connection, drop its tracks. */
  onSubscriptionClosed(id) {
    const sub = this.#subs.get(id);
    if (sub) this.#close(sub);
  }

  /** Defensive: a peer that left takes its subscriptions along, whatever events follow. */
  onPeerLeft(peerId) {
    for (const sub of [...this.#subs.values()]) if (sub.peerId === peerId) this.#close(sub);
  }

  /** A Track became known (track-added): place media that arrived before it. */
  onTrackKnown(track) {
    const rec = this.#received.get(track.track_id);
    if (rec) this.#place(rec);
  }

  /** A Track is gone (track-removed): take its media out of its stream. */
  onTrackGone(trackId) {
    const rec = this.#received.get(trackId);
    if (rec) this.#drop(rec);
  }

  closeAll() {
    for (const sub of [...this.#subs.values()]) this.#close(sub);
    for (const rec of [...this.#received.values()]) this.#drop(rec);
    this.#streams.clear();
  }

  // ---------------------------------------------------------------- internals

  #open(msg) {
    const sub = { id: msg.subscription_id, peerId: msg.peer_id, mids: new Map(), conn: null };
    sub.conn = new SubscribeConnection({
      RTCPeerConnection: this.#ctx.env.RTCPeerConnection,
      iceServers: this.#ctx.iceServers(),
      iceGatheringTimeoutMs: this.#ctx.iceGatheringTimeoutMs,
      onTrack: (mid, mst) => this.#onMedia(sub, mid, mst),
      onFailed: () =>
        this.#ctx.emitError(
          Object.assign(new RoomgateError({ name: 'ice_failed', message: `subscription ${sub.id}'s connection failed`, action: 'SUBSCRIBE' }), {
            subscription_id: sub.id,
          }),
        ),
    });
    this.#subs.set(sub.id, sub);
    return sub;
  }

  #close(sub) {
    if (this.#subs.get(sub.id) === sub) this.#subs.delete(sub.id);
    sub.conn.close();
    for (const rec of [...this.#received.values()]) if (rec.sub === sub) this.#drop(rec);
  }

  #onMedia(sub, mid, mst) {
    const trackId = sub.mids.get(String(mid));
    if (trackId === undefined) return; // a section the offer did not declare: nothing to map it to
    const old = this.#received.get(trackId);
    if (old?.mst === mst) return;
    if (old) this.#drop(old);
    const rec = { trackId, mst, sub, stream: null, key: null, announced: false };
    this.#received.set(trackId, rec);
    mst.addEventListener('unmute', () => this.#announce(rec));
    this.#place(rec);
  }

  #place(rec) {
    if (rec.stream || this.#received.get(rec.trackId) !== rec) return;
    const track = this.#ctx.getTrack(rec.trackId);
    if (!track) return; // placed when its track-added arrives
    rec.key = streamKey(track.peer_id, track.source);
    let stream = this.#streams.get(rec.key);
    if (!stream) {
      stream = new this.#ctx.env.MediaStream();
      this.#streams.set(rec.key, stream);
    }
    stream.addTrack(rec.mst);
    rec.stream = stream;
    this.#announce(rec);
  }

  #announce(rec) {
    if (rec.announced || !rec.stream || rec.mst.muted || this.#received.get(rec.trackId) !== rec) return;
    const track = this.#ctx.getTrack(rec.trackId);
    if (!track) return;
    rec.announced = true;
    this.#ctx.emit('remote-track', { track, mediaStreamTrack: rec.mst, stream: rec.stream });
  }

  #drop(rec) {
    if (this.#received.get(rec.trackId) === rec) this.#received.delete(rec.trackId);
    const stream = rec.stream;
    rec.stream = null;
    if (!stream) return;
    stream.removeTrack(rec.mst);
    // An empty stream is forgotten, so streamOf() says null rather than showing nothing.
    if (stream.getTracks().length === 0 && this.#streams.get(rec.key) === stream) this.#streams.delete(rec.key);
  }
}

function streamKey(peerId, source) {
  return `${peerId}\u0000${source}`;
}
