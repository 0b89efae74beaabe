/**
 * The two kinds of RTCPeerConnection the SDK makes (docs/signalling.md, Media): one per
 * publication (we offer, sendonly) and one per subscription (roomgate offers on the SFU's
 * behalf, we answer recvonly). Each is independent, so a slow negotiation of one never blocks
 * another. SDP is exchanged whole — roomgate has no trickle messages — so every local
 * description is sent only once ICE gathering has finished (or after a bound, with the
 * candidates found so far).
 *
 * Not thread-aware (browser main thread); a connection is unusable after close().
 */

export const DEFAULT_ICE_GATHERING_TIMEOUT_MS = 5_000;

/** Thrown by a negotiation step when close() ran while it was waiting. */
export class ConnectionClosedError extends Error {
  constructor() {
    super('the peer connection was closed during negotiation');
    this.name = 'ConnectionClosedError';
  }
}

/**
 * Resolves when `pc` has gathered all its candidates, after `timeoutMs`, or when `signal`
 * aborts — whichever comes first. Never rejects: a partial candidate list is still worth
 * sending (host candidates come first and are all a loopback deployment needs).
 */
export function waitForIceGathering(pc, timeoutMs, signal) {
  if (pc.iceGatheringState === 'complete' || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onState);
      pc.removeEventListener('icecandidate', onCandidate);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const onState = () => pc.iceGatheringState === 'complete' && done();
    // The null candidate marks the end of gathering; some engines fire it before the state.
    const onCandidate = (ev) => !ev.candidate && done();
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onState);
    pc.addEventListener('icecandidate', onCandidate);
    signal?.addEventListener('abort', done);
  });
}

/** What both connection kinds share: construction, failure watch, close. */
class Connection {
  pc;
  #closer = new AbortController();
  #gatheringTimeoutMs;

  constructor({ RTCPeerConnection, iceServers = [], iceGatheringTimeoutMs = DEFAULT_ICE_GATHERING_TIMEOUT_MS, onFailed }) {
    if (typeof RTCPeerConnection !== 'function') throw new TypeError('WebRTC is not available (no RTCPeerConnection)');
    this.#gatheringTimeoutMs = iceGatheringTimeoutMs;
    this.pc = new RTCPeerConnection({ iceServers: Array.isArray(iceServers) ? iceServers : [] });
    // 'failed' is terminal without an ICE restart, which roomgate does not offer: report it
    // once; the owner decides whether to tear down.
    let reported = false;
    this.pc.addEventListener('connectionstatechange', () => {
      if (this.pc.connectionState !== 'failed' || reported || this.closed) return;
      reported = true;
      onFailed?.();
    });
  }

  get closed() {
    return this.#closer.signal.aborted;
  }

  /** setLocalDescription(desc), then the complete local SDP once gathering is over. */
  async describeLocally(desc) {
    await this.pc.setLocalDescription(desc);
    this.assertOpen();
    await waitForIceGathering(this.pc, this.#gatheringTimeoutMs, this.#closer.signal);
    this.assertOpen();
    return this.pc.localDescription.sdp;
  }

  assertOpen() {
    if (this.closed) throw new ConnectionClosedError();
  }

  /** Idempotent. Ends a pending negotiation with ConnectionClosedError. */
  close() {
    if (this.closed) return;
    this.#closer.abort();
    try {
      this.pc.close();
    } catch {
      // already closed by the engine: nothing left to release
    }
  }
}

/** One publication: our tracks, sendonly. */
export class PublishConnection extends Connection {
  /**
   * Adds every track of `stream` as a sendonly transceiver and produces the offer. Resolves
   * {sdp, tracks: [{mid, kind}]}: the mids exist only after setLocalDescription, and roomgate
   * checks the offer's media sections against exactly this list.
   */
  async offer(stream) {
    for (const track of stream.getTracks()) {
      this.pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    }
    const offer = await this.pc.createOffer();
    this.assertOpen();
    const sdp = await this.describeLocally(offer);
    const tracks = this.pc
      .getTransceivers()
      .filter((t) => t.sender?.track && t.mid !== null)
      .map((t) => ({ mid: t.mid, kind: t.sender.track.kind }));
    return { sdp, tracks };
  }

  async accept(answerSdp) {
    this.assertOpen();
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }
}

/**
 * One subscription: the SFU's tracks of one publication, recvonly. `onTrack(mid, track)` runs
 * for each received track, during setRemoteDescription.
 */
export class SubscribeConnection extends Connection {
  #queue = Promise.resolve();

  constructor({ onTrack, ...options }) {
    super(options);
    this.pc.addEventListener('track', (ev) => {
      if (!this.closed) onTrack(ev.transceiver?.mid ?? null, ev.track);
    });
  }

  /**
   * Answers an offer; resolves with the complete answer SDP. Offers for the same subscription
   * are answered one after the other (a second setRemoteDescription while the first answer is
   * still gathering would be rejected by the engine).
   */
  answer(offerSdp) {
    const run = this.#queue.then(() => this.#answer(offerSdp));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #answer(offerSdp) {
    this.assertOpen();
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    this.assertOpen();
    // We never send on a subscription, whatever direction the offer proposed.
    // ('stopped' transceivers are left alone: setting their direction throws.)
    for (const t of this.pc.getTransceivers()) {
      if (t.direction === 'sendrecv') t.direction = 'recvonly';
      else if (t.direction === 'sendonly') t.direction = 'inactive';
    }
    const answer = await this.pc.createAnswer();
    this.assertOpen();
    return this.describeLocally(answer);
  }
}
