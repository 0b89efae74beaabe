// Just enough of the browser's media objects (RTCPeerConnection, MediaStream,
// MediaStreamTrack, mediaDevices) for tests/sdk/roomgate_client.test.mjs to drive the SDK's
// negotiation logic in Node. The "SDP" is a readable stand-in: an offer lists its sections as
// `m=<kind> mid=<mid> <direction>` lines, one per line, so a test can write the offer it needs.
// No network is involved.

export class FakeTrack extends EventTarget {
  static #next = 1;

  constructor(kind, { muted = false } = {}) {
    super();
    this.kind = kind;
    this.id = `${kind}-${FakeTrack.#next++}`;
    this.enabled = true;
    this.muted = muted;
    this.readyState = 'live';
  }

  stop() {
    this.readyState = 'ended';
  }

  /** The first packets arrived (what the browser signals on a received track). */
  receiveMedia() {
    this.muted = false;
    this.dispatchEvent(new Event('unmute'));
  }

  /** The user pressed the browser's own "Stop sharing". */
  endByUser() {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

export class FakeStream {
  #tracks;

  constructor(tracks = []) {
    this.#tracks = [...tracks];
  }

  getTracks() {
    return [...this.#tracks];
  }

  addTrack(t) {
    if (!this.#tracks.includes(t)) this.#tracks.push(t);
  }

  removeTrack(t) {
    this.#tracks = this.#tracks.filter((x) => x !== t);
  }
}

/**
 * A peer connection whose ICE gathering completes `gatheringMs` after setLocalDescription (null:
 * never), taken from `FakePeerConnection.gatheringMs` when it is made. Every instance is kept
 * in `instances`.
 */
export class FakePeerConnection extends EventTarget {
  static instances = [];
  static gatheringMs = 5;

  constructor(config) {
    super();
    this.config = config;
    this.transceivers = [];
    this.localDescription = null;
    this.remoteDescription = null;
    this.iceGatheringState = 'new';
    this.connectionState = 'new';
    this.closed = false;
    this.gatheringMs = FakePeerConnection.gatheringMs;
    FakePeerConnection.instances.push(this);
  }

  static reset() {
    FakePeerConnection.instances = [];
    FakePeerConnection.gatheringMs = 5;
  }

  addTransceiver(track, init = {}) {
    const t = { mid: null, direction: init.direction ?? 'sendrecv', sender: { track }, receiver: { track: null }, init };
    this.transceivers.push(t);
    return t;
  }

  getTransceivers() {
    return [...this.transceivers];
  }

  async createOffer() {
    this.#assertOpen();
    return { type: 'offer', sdp: 'fake-offer' };
  }

  async createAnswer() {
    this.#assertOpen();
    const lines = this.transceivers.map((t) => `m=${t.kind} mid=${t.mid} ${t.direction}`);
    return { type: 'answer', sdp: ['fake-answer', ...lines].join('\n') };
  }

  async setLocalDescription(desc) {
    await tick();
    this.#assertOpen();
    this.transceivers.forEach((t, i) => {
      if (t.mid === null) t.mid = String(i);
    });
    this.localDescription = { type: desc.type, sdp: desc.sdp };
    this.iceGatheringState = 'gathering';
    const ms = this.gatheringMs;
    if (ms === null) return;
    setTimeout(() => {
      if (this.closed) return;
      this.localDescription = { type: desc.type, sdp: `${desc.sdp}\na=candidate:1 1 udp 1 127.0.0.1 9 typ host` };
      this.iceGatheringState = 'complete';
      this.dispatchEvent(new Event('icegatheringstatechange'));
    }, ms);
  }

  async setRemoteDescription(desc) {
    await tick();
    this.#assertOpen();
    this.remoteDescription = desc;
    if (desc.type !== 'offer') return;
    for (const line of desc.sdp.split('\n')) {
      const m = /^m=(\w+) mid=(\S+)/.exec(line);
      if (!m || this.transceivers.some((t) => t.mid === m[2])) continue;
      const track = new FakeTrack(m[1], { muted: true }); // received tracks start muted
      const t = { mid: m[2], kind: m[1], direction: 'recvonly', sender: { track: null }, receiver: { track } };
      this.transceivers.push(t);
      const ev = new Event('track');
      Object.assign(ev, { track, transceiver: t, streams: [] });
      this.dispatchEvent(ev);
    }
  }

  close() {
    this.closed = true;
    this.connectionState = 'closed';
  }

  /** Makes ICE fail, as a browser does when no candidate pair works. */
  failIce() {
    this.connectionState = 'failed';
    this.dispatchEvent(new Event('connectionstatechange'));
  }

  #assertOpen() {
    if (this.closed) throw Object.assign(new Error('closed'), { name: 'InvalidStateError' });
  }
}

/** navigator.mediaDevices: records each call; `refuse` makes the next call fail. */
export function fakeMediaDevices() {
  const devices = {
    calls: [],
    refuse: null,
    async getUserMedia(constraints) {
      devices.calls.push({ getUserMedia: constraints });
      if (devices.refuse) throw Object.assign(new Error(devices.refuse), { name: 'NotAllowedError' });
      const tracks = [];
      if (constraints.audio) tracks.push(new FakeTrack('audio'));
      if (constraints.video) tracks.push(new FakeTrack('video'));
      return new FakeStream(tracks);
    },
    async getDisplayMedia(constraints) {
      devices.calls.push({ getDisplayMedia: constraints });
      return new FakeStream([new FakeTrack('video')]);
    },
  };
  return devices;
}

function tick() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
