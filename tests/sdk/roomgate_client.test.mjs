// Unit tests of the browser SDK's client (sdk/src/roomgate.mjs and its media modules) in Node:
// a fake roomgate (the `ws` package, speaking docs/signalling.md's Media section) and fake
// WebRTC objects (tests/sdk/fake_webrtc.mjs). They check what the SDK sends and does — offers
// only after ICE gathering, the publish tracks, subscribe answers, track_id mapping, the Track
// registry, mute handling, teardown — not real media: the browser tests do that.
// No roomgate binary is needed. Only 127.0.0.1 is contacted.
//
// Run:  node --test tests/sdk/roomgate_client.test.mjs

import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket, { WebSocketServer } from 'ws';
import { RoomgateClient, RoomgateError } from '../../sdk/src/roomgate.mjs';
import { FakePeerConnection, FakeStream, fakeMediaDevices } from './fake_webrtc.mjs';

const WAIT_MS = 3000;
const ICE = [{ urls: 'stun:127.0.0.1:3478' }];
const peer = (id, role = 'host') => ({ peer_id: id, name: id, user_id: `u-${id}`, role, metadata: '', joined_at: '2026-01-01T00:00:00Z' });
const roleWith = (allowed) => ({ name: 'host', publishParams: { allowed }, subscribeParams: { subscribeToRoles: ['host'] }, permissions: { mute: true } });
const track = (id, kind, extra = {}) => ({ track_id: id, peer_id: 'p2', publication_id: 'pub-p2', source: 'regular', kind, muted: false, ...extra });

// ------------------------------------------------------------ the fake roomgate

let wss;
let url;
let conn; // the latest connection: {ws, frames, push(ev)}
/** Per-test knobs of the fake server. */
let opts;

function handle(c, msg) {
  const reply = (result) => c.ws.send(JSON.stringify({ type: 'reply', id: msg.id, result }));
  const error = (code, err) => c.ws.send(JSON.stringify({ type: 'error', id: msg.id, code, error: err, message: err }));
  switch (msg.type) {
    case 'join':
      if (msg.token === 'bad') {
        error(4001, 'token_invalid');
        c.ws.close(4001, 'token_invalid');
        return;
      }
      reply({
        protocol: 1, session_id: 's', room: { id: 'r', name: 'r' }, peer: peer('self'),
        policy: { name: 'host', role: roleWith(opts.allowed), known_roles: {} },
        peers: [peer('p2')], token_expires_at: '2030-01-01T00:00:00Z', server_time: '2026-01-01T00:00:00Z',
        media: { available: opts.mediaAvailable, ice_servers: ICE },
      });
      return;
    case 'publish': {
      const n = c.frames.filter((f) => f.type === 'publish').length;
      const answer = () => reply({
        publication_id: `pub-${n}`, sdp: 'fake-answer-from-sfu',
        tracks: msg.tracks.map((t) => ({ track_id: `t-${n}-${t.kind}`, peer_id: 'self', publication_id: `pub-${n}`, source: msg.source, kind: t.kind, muted: Boolean(t.muted) })),
      });
      if (opts.holdPublish) opts.releasePublish = answer;
      else answer();
      return;
    }
    case 'mute-track':
      if (opts.holdMute) {
        opts.releaseMute = () => handle(c, { ...msg, held: true });
        if (!msg.held) return;
      }
      reply({ track: { track_id: msg.track_id, peer_id: 'self', publication_id: 'pub-1', source: 'regular', kind: msg.track_id.endsWith('audio') ? 'audio' : 'video', muted: msg.muted } });
      return;
    case 'remove-peer':
      error(4105, 'peer_not_found');
      return;
    case 'leave':
      reply({});
      c.ws.close(1000, 'left');
      return;
    default:
      reply({});
  }
}

before(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  url = `ws://127.0.0.1:${wss.address().port}/v2/signal`;
  wss.on('connection', (ws) => {
    const c = { ws, frames: [], push: (ev) => ws.send(JSON.stringify(ev)) };
    conn = c;
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      c.frames.push(msg);
      handle(c, msg);
    });
  });
});

after(async () => {
  for (const ws of wss.clients) ws.terminate();
  await new Promise((resolve) => wss.close(resolve));
});

beforeEach(() => {
  FakePeerConnection.reset();
  opts = { allowed: ['audio', 'video', 'screen'], mediaAvailable: true, holdPublish: false };
});

/** A joined client plus its fake devices; `events` records every SDK event in order. */
async function joined(extra = {}) {
  const devices = fakeMediaDevices();
  const client = new RoomgateClient({
    server: url, WebSocket, RTCPeerConnection: FakePeerConnection, MediaStream: FakeStream, mediaDevices: devices,
    requestTimeoutMs: WAIT_MS, iceGatheringTimeoutMs: 1000, ...extra,
  });
  const events = [];
  client.on('*', (payload, type) => events.push({ type, payload }));
  await client.join({ authToken: 'good', userName: 'Ada' });
  return { client, devices, events, c: conn };
}

/** Polls `fn` until it returns a truthy value. */
async function until(fn, what = 'condition') {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const framesOf = (c, type) => c.frames.filter((f) => f.type === type);
const OFFER = 'fake-sfu-offer\nm=audio mid=a0 sendonly\nm=video mid=v1 sendonly';

// ------------------------------------------------------------ tests

describe('RoomgateClient', { timeout: 20_000 }, () => {
  test('join resolves the local peer, the others and the policy', async () => {
    const { client } = await joined();
    try {
      assert.equal(client.localPeer.peer_id, 'self');
      assert.deepEqual([...client.peers.keys()], ['p2']);
      assert.equal(client.policy.name, 'host');
      assert.equal(client.canPublish('screen'), true);
      assert.equal(client.canPublish('data'), false);
      assert.deepEqual(client.permissions, { mute: true });
    } finally {
      await client.leave();
    }
  });

  test('a refused join rejects with the server code and fires no disconnected', async () => {
    const client = new RoomgateClient({ server: url, WebSocket, RTCPeerConnection: FakePeerConnection, requestTimeoutMs: WAIT_MS });
    let disconnected = 0;
    client.on('disconnected', () => disconnected++);
    const e = await client.join({ authToken: 'bad' }).then(() => assert.fail('join must reject'), (x) => x);
    assert.ok(e instanceof RoomgateError);
    assert.deepEqual([e.code, e.name, e.action], [4001, 'token_invalid', 'JOIN']);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(disconnected, 0);
  });

  test('publish captures what the role allows and offers sendonly after ICE gathering', async () => {
    opts.allowed = ['audio'];
    const { client, devices, events, c } = await joined();
    try {
      await client.publish({ audio: true, video: true });
      assert.deepEqual(devices.calls, [{ getUserMedia: { audio: true, video: false } }]);
      const pc = FakePeerConnection.instances[0];
      assert.deepEqual(pc.config, { iceServers: ICE });
      assert.deepEqual(pc.transceivers.map((t) => t.init.direction), ['sendonly']);
      const [pub] = framesOf(c, 'publish');
      assert.equal(pub.source, 'regular');
      assert.match(pub.sdp, /a=candidate/, 'the offer waited for ICE gathering');
      assert.deepEqual(pub.tracks, [{ mid: '0', kind: 'audio', muted: false }]);
      assert.deepEqual(pc.remoteDescription, { type: 'answer', sdp: 'fake-answer-from-sfu' });
      assert.equal(client.tracks.get('t-1-audio').peer_id, 'self');
      assert.deepEqual(events.filter((e) => e.type === 'track-added').map((e) => e.payload.track_id), ['t-1-audio']);
      assert.equal(client.localStream.getTracks()[0].kind, 'audio');
    } finally {
      await client.leave();
    }
  });

  test('publish is a no-op when the role may publish nothing asked for', async () => {
    opts.allowed = ['screen'];
    const { client, devices, c } = await joined();
    try {
      await client.publish({ audio: true, video: true });
      assert.equal(devices.calls.length, 0);
      assert.equal(framesOf(c, 'publish').length, 0);
    } finally {
      await client.leave();
    }
  });

  test('an offer goes out with what it has when ICE gathering never completes', async () => {
    FakePeerConnection.gatheringMs = null;
    const { client, c } = await joined({ iceGatheringTimeoutMs: 100 });
    try {
      await client.publish();
      assert.equal(framesOf(c, 'publish')[0].sdp, 'fake-offer');
    } finally {
      await client.leave();
    }
  });

  test('refusals are decided before any capture: 4501, 4102, 4104, 4112', async () => {
    opts.mediaAvailable = false;
    opts.allowed = ['audio'];
    const { client, devices } = await joined();
    const code = (p) => p.then(() => null, (e) => [e.code, e.name]);
    try {
      assert.deepEqual(await code(client.publish()), [4501, 'media_unavailable']);
      assert.deepEqual(await code(client.startScreenShare()), [4104, 'permission_denied']);
      assert.equal(devices.calls.length, 0);
    } finally {
      await client.leave();
    }
    assert.deepEqual(await code(client.publish()), [4102, 'not_joined']);
    opts.mediaAvailable = true;
    const again = await joined();
    try {
      await again.client.publish();
      assert.deepEqual(await code(again.client.publish()), [4112, 'already_publishing']);
    } finally {
      await again.client.leave();
    }
  });

  test('a refused camera rejects with 3001', async () => {
    const { client, devices } = await joined();
    devices.refuse = 'Permission denied';
    try {
      const e = await client.publish().then(() => null, (x) => x);
      assert.deepEqual([e.code, e.name, e.action], [3001, 'cant_access_capture_device', 'PUBLISH']);
      assert.equal(client.localStream, null);
      await client.publish().catch(() => {}); // the source was freed: no 4112
    } finally {
      await client.leave();
    }
  });

  test('mute is applied to the track at once and sent; toggles end in the last state', async () => {
    const { client, events, c } = await joined();
    try {
      await client.publish();
      const audio = client.localStream.getTracks().find((t) => t.kind === 'audio');
      await Promise.all([client.setAudioMuted(true), client.setAudioMuted(false)]);
      assert.equal(framesOf(c, 'mute-track').length, 0, 'no net change, nothing to tell');
      opts.holdMute = true;
      const first = client.setAudioMuted(true);
      assert.equal(audio.enabled, false);
      assert.equal(client.isAudioMuted, true);
      await until(() => opts.releaseMute, 'the first mute-track');
      const second = client.setAudioMuted(false); // before the server answered the first
      opts.holdMute = false;
      opts.releaseMute();
      await Promise.all([first, second]);
      assert.deepEqual(framesOf(c, 'mute-track').map((f) => [f.track_id, f.muted]), [['t-1-audio', true], ['t-1-audio', false]]);
      assert.equal(client.tracks.get('t-1-audio').muted, false);
      assert.equal(audio.enabled, true);
      assert.deepEqual(events.filter((e) => e.type === 'track-muted').map((e) => e.payload.muted), [true, false]);
    } finally {
      await client.leave();
    }
  });

  test('a mute chosen before publishing is declared in the offer', async () => {
    const { client, c } = await joined();
    try {
      await client.setVideoMuted(true);
      await client.publish();
      assert.deepEqual(framesOf(c, 'publish')[0].tracks.map((t) => [t.kind, t.muted]), [['audio', false], ['video', true]]);
      assert.equal(client.localStream.getTracks().find((t) => t.kind === 'video').enabled, false);
    } finally {
      await client.leave();
    }
  });

  test('mute-request mute:true is obeyed before the event; mute:false is only the event', async () => {
    const { client, c } = await joined();
    try {
      await client.publish();
      const heard = client.waitFor('mute-request', (p) => p.mute === true);
      c.push({ type: 'mute-request', from: peer('p2'), track: 'audio', mute: true });
      const payload = await heard;
      assert.deepEqual(payload, { from: peer('p2'), track: 'audio', mute: true });
      assert.equal(client.isAudioMuted, true);
      assert.deepEqual(framesOf(c, 'mute-track').map((f) => f.muted), [true], 'reported with mute-track before the event');
      const unmute = client.waitFor('mute-request', (p) => p.mute === false);
      c.push({ type: 'mute-request', from: null, track: 'audio', mute: false });
      await unmute;
      assert.equal(client.isAudioMuted, true, 'an unmute request is only a request');
    } finally {
      await client.leave();
    }
  });

  test('screen share: the browser stop button and a screen mute-request unpublish it', async () => {
    const { client, devices, c } = await joined();
    try {
      await client.startScreenShare();
      assert.deepEqual(devices.calls, [{ getDisplayMedia: { video: true, audio: false } }]);
      assert.equal(framesOf(c, 'publish')[0].source, 'screen');
      const pc = FakePeerConnection.instances[0];
      const screenTrack = pc.transceivers[0].sender.track;
      screenTrack.endByUser();
      await until(() => framesOf(c, 'unpublish').length === 1, 'unpublish');
      assert.equal(framesOf(c, 'unpublish')[0].publication_id, 'pub-1');
      assert.equal(pc.closed, true);
      await client.startScreenShare();
      const heard = client.waitFor('mute-request');
      c.push({ type: 'mute-request', from: null, track: 'screen', mute: true });
      await heard;
      assert.equal(framesOf(c, 'unpublish').length, 2);
    } finally {
      await client.leave();
    }
  });

  test('unpublish during a publish in flight rejects it and gives the publication back', async () => {
    opts.holdPublish = true;
    const { client, c } = await joined();
    try {
      const publishing = client.publish();
      await until(() => opts.releasePublish, 'the publish request');
      await client.unpublish('regular');
      opts.releasePublish();
      const e = await publishing.then(() => null, (x) => x);
      assert.deepEqual([e.name, e.action], ['closed', 'PUBLISH']);
      await until(() => framesOf(c, 'unpublish').length === 1, 'unpublish');
      assert.equal(framesOf(c, 'unpublish')[0].publication_id, 'pub-1');
      assert.equal(client.localStream, null);
      assert.equal(client.tracks.size, 0);
    } finally {
      await client.leave();
    }
  });

  test('a subscribe-offer is answered recvonly after gathering and its tracks mapped by mid', async () => {
    const { client, c, events } = await joined();
    try {
      c.push({ type: 'track-added', track: track('ta', 'audio') });
      c.push({ type: 'track-added', track: track('tv', 'video') });
      c.push({ type: 'subscribe-offer', subscription_id: 'sub-1', peer_id: 'p2', publication_id: 'pub-p2', tracks: [{ track_id: 'ta', mid: 'a0' }, { track_id: 'tv', mid: 'v1' }], sdp: OFFER });
      const [answer] = await until(() => framesOf(c, 'subscribe-answer').length && framesOf(c, 'subscribe-answer'), 'the answer');
      assert.equal(answer.subscription_id, 'sub-1');
      assert.match(answer.sdp, /^fake-answer/);
      assert.match(answer.sdp, /a=candidate/, 'the answer waited for ICE gathering');
      assert.match(answer.sdp, /m=video mid=v1 recvonly/);
      const pc = FakePeerConnection.instances[0];
      assert.deepEqual(pc.config, { iceServers: ICE });
      assert.equal(events.filter((e) => e.type === 'remote-track').length, 0, 'no media has arrived yet');
      const stream = client.streamOf('p2');
      assert.equal(stream.getTracks().length, 2);
      const video = pc.transceivers.find((t) => t.mid === 'v1').receiver.track;
      const arrived = client.waitFor('remote-track');
      video.receiveMedia();
      const ev = await arrived;
      assert.equal(ev.track.track_id, 'tv');
      assert.equal(ev.mediaStreamTrack, video);
      assert.equal(ev.stream, stream);
      const el = { srcObject: null };
      assert.equal(client.attach('tv', el), true);
      assert.deepEqual(el.srcObject.getTracks(), [video]);
      assert.equal(client.attach('unknown', el), false);
    } finally {
      await client.leave();
    }
  });

  test('offers for different subscriptions proceed independently', async () => {
    const { client, c } = await joined();
    try {
      FakePeerConnection.gatheringMs = 300; // the first answer is slow...
      c.push({ type: 'subscribe-offer', subscription_id: 'slow', peer_id: 'p2', publication_id: 'x', tracks: [{ track_id: 'ta', mid: 'a0' }], sdp: 'o\nm=audio mid=a0 sendonly' });
      await until(() => FakePeerConnection.instances.length === 1, 'the first connection');
      FakePeerConnection.gatheringMs = 5; // ...the second is not held up by it
      c.push({ type: 'subscribe-offer', subscription_id: 'fast', peer_id: 'p3', publication_id: 'y', tracks: [{ track_id: 'tb', mid: 'a0' }], sdp: 'o\nm=audio mid=a0 sendonly' });
      await until(() => framesOf(c, 'subscribe-answer').length === 2, 'both answers');
      assert.deepEqual(framesOf(c, 'subscribe-answer').map((f) => f.subscription_id), ['fast', 'slow']);
    } finally {
      await client.leave();
    }
  });

  test('subscription-closed, track-updated and track-removed keep the state in step', async () => {
    const { client, c, events } = await joined();
    try {
      c.push({ type: 'track-added', track: track('ta', 'audio') });
      c.push({ type: 'subscribe-offer', subscription_id: 'sub-1', peer_id: 'p2', publication_id: 'pub-p2', tracks: [{ track_id: 'ta', mid: 'a0' }], sdp: 'o\nm=audio mid=a0 sendonly' });
      await until(() => framesOf(c, 'subscribe-answer').length === 1, 'the answer');
      c.push({ type: 'track-updated', track: track('ta', 'audio', { muted: true }) });
      await client.waitFor('track-muted');
      assert.equal(client.tracks.get('ta').muted, true);
      c.push({ type: 'subscription-closed', subscription_id: 'sub-1', reason: 'unpublished' });
      c.push({ type: 'track-removed', track: track('ta', 'audio') });
      await client.waitFor('track-removed');
      assert.equal(FakePeerConnection.instances[0].closed, true);
      assert.equal(client.streamOf('p2'), null);
      assert.equal(client.tracks.size, 0);
      assert.deepEqual(events.filter((e) => e.type.startsWith('track-')).map((e) => e.type), ['track-added', 'track-muted', 'track-removed']);
    } finally {
      await client.leave();
    }
  });

  test('publication-closed and media-error surface as error events', async () => {
    const { client, c } = await joined();
    try {
      await client.publish();
      const stream = client.localStream;
      const closedErr = client.waitFor('error');
      c.push({ type: 'publication-closed', publication_id: 'pub-1', reason: 'role_changed' });
      const e = await closedErr;
      assert.deepEqual([e.code, e.name, e.source, e.reason], [4104, 'publication_closed', 'regular', 'role_changed']);
      assert.equal(client.localStream, null);
      assert.ok(stream.getTracks().every((t) => t.readyState === 'ended'));
      assert.equal(FakePeerConnection.instances[0].closed, true);
      const mediaErr = client.waitFor('error');
      c.push({ type: 'media-error', code: 4501, error: 'media_unavailable', message: 'SFU unreachable', subscription_id: 'sub-9' });
      const m = await mediaErr;
      assert.deepEqual([m.code, m.name, m.action, m.subscription_id], [4501, 'media_unavailable', 'SUBSCRIBE', 'sub-9']);
    } finally {
      await client.leave();
    }
  });

  test('removed closes every connection and stops capture, then disconnected follows', async () => {
    const { client, c, events } = await joined();
    await client.publish();
    c.push({ type: 'subscribe-offer', subscription_id: 'sub-1', peer_id: 'p2', publication_id: 'x', tracks: [{ track_id: 'ta', mid: 'a0' }], sdp: 'o\nm=audio mid=a0 sendonly' });
    await until(() => framesOf(c, 'subscribe-answer').length === 1, 'the answer');
    const stream = client.localStream;
    const gone = client.waitFor('disconnected');
    c.push({ type: 'removed', reason: 'bye', by: peer('p2') });
    c.ws.close(4200, 'removed');
    assert.deepEqual(await gone, { code: 4200, reason: 'removed' });
    assert.ok(FakePeerConnection.instances.every((pc) => pc.closed));
    assert.ok(stream.getTracks().every((t) => t.readyState === 'ended'));
    assert.equal(client.tracks.size, 0);
    const order = events.map((e) => e.type).filter((t) => t === 'removed' || t === 'disconnected');
    assert.deepEqual(order, ['removed', 'disconnected']);
    assert.equal(events.filter((e) => e.type === 'track-removed').length, 0, 'teardown is silent');
    assert.deepEqual(events.find((e) => e.type === 'removed').payload, { reason: 'bye', by: peer('p2') });
  });

  test('leave stops capture, closes connections and the socket', async () => {
    const { client, c } = await joined();
    await client.publish();
    const stream = client.localStream;
    const gone = client.waitFor('disconnected');
    await client.leave();
    assert.deepEqual(await gone, { code: 1000, reason: 'left' });
    assert.equal(framesOf(c, 'leave').length, 1);
    assert.ok(stream.getTracks().every((t) => t.readyState === 'ended'));
    assert.ok(FakePeerConnection.instances.every((pc) => pc.closed));
    await client.join({ authToken: 'good' }); // the same client may join again
    await client.leave();
  });

  test('events are translated to the SDK names and shapes', async () => {
    const { client, c } = await joined();
    try {
      const seen = (type) => client.waitFor(type);
      const expiring = seen('token-will-expire');
      c.push({ type: 'token-expiring', expires_at: '2030-01-01T00:00:00Z', seconds_left: 60 });
      assert.deepEqual(await expiring, { expires_at: '2030-01-01T00:00:00Z', seconds_left: 60 });
      const role = seen('role-changed');
      c.push({ type: 'policy', policy: { name: 'guest', role: roleWith([]), known_roles: {} } });
      assert.equal((await role).name, 'guest');
      assert.equal(client.canPublish('audio'), false);
      const left = seen('peer-left');
      c.push({ type: 'peer-left', peer_id: 'p2', reason: 'left' });
      assert.deepEqual(await left, { peer_id: 'p2', reason: 'left' });
      assert.equal(client.peers.size, 0);
    } finally {
      await client.leave();
    }
  });

  test('in-room powers reject with the server code and the action', async () => {
    const { client } = await joined();
    try {
      const e = await client.removePeer('nobody', 'x').then(() => null, (x) => x);
      assert.ok(e instanceof RoomgateError);
      assert.deepEqual([e.code, e.name, e.action], [4105, 'peer_not_found', 'REMOVE_PEER']);
      assert.deepEqual(await client.sendMessage('hi', { type: 'chat' }), {});
    } finally {
      await client.leave();
    }
  });
});
