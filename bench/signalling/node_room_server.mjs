// The Node anchor of bench/run_signalling_bench.sh: a minimal but fair room
// server on the `ws` package speaking the subset of roomgate's signalling
// protocol (docs/signalling.md) that the benchmark uses:
//
//   join          HS256 auth token verified with fast-jwt (type "app",
//                 version 2, exp required and not passed, nbf with 60 s
//                 leeway, access_key must match); room and role from the
//                 token, role must be one of the default template's; reply
//                 with session_id, room, peer, policy (same roles and size as
//                 roomgate's default template), peers, token_expires_at,
//                 server_time; `peer-joined` to the rest of the room
//   send-message  `message` event to everyone in the room (sender included),
//                 or to `peer_id` / `roles`; reply {message_id} when the
//                 request has an id
//   leave         reply {}, `peer-left` (left), close 1000
//   ping          reply {server_time}
//   disconnect    `peer-left` (disconnected)
//
// and the same guards: 64 KiB frame cap, join within 10 s (4012), per-peer
// token bucket 20 msg/s burst 50 (4107), 1 MiB outgoing queue per peer
// (close 1008), WebSocket ping every 20 s and close after 60 s of silence.
// Each event is serialized once and the same buffer sent to every recipient.
// perMessageDeflate is off (roomgate has none). Not done (the anchor is
// lighter than roomgate here): sessions are not recorded anywhere, tokens are
// not re-checked or expired while connected, no duplicate-user handling.
//
//   ROOMGATE_ACCESS_KEY=... ROOMGATE_SECRET=... node bench/signalling/node_room_server.mjs [PORT]
//
// Listens on 127.0.0.1 (port 0 = ephemeral, the default) at /v2/signal and
// prints "listening on ws://127.0.0.1:PORT" on stdout.
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { createVerifier } from 'fast-jwt';
import { DEFAULT_ROLES, credentialsFromEnv } from './common.mjs';

const { accessKey, secret } = credentialsFromEnv();
const verify = createVerifier({
  key: secret,
  algorithms: ['HS256'],
  requiredClaims: ['exp'],
  clockTolerance: 60_000, // nbf/iat leeway; exp is checked again below without it
});

const MAX_FRAME = 64 * 1024;
const MAX_QUEUE = 1024 * 1024;
const JOIN_TIMEOUT_MS = 10_000;
const PING_INTERVAL_MS = 20_000;
const IDLE_TIMEOUT_MS = 60_000;
const RATE = 20;
const BURST = 50;
const MAX_META = 4096;
const MAX_NAME = 256;

const rooms = new Map(); // room_id -> {id, name, sessionId, peers: Map<peer_id, Conn>}
const conns = new Set();

const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function send(c, buf) {
  if (c.ws.readyState !== 1) return;
  if (c.ws.bufferedAmount + buf.length > MAX_QUEUE) {
    c.ws.close(1008, 'slow reader');
    return;
  }
  c.ws.send(buf, { binary: false });
}

const sendJson = (c, obj) => send(c, Buffer.from(JSON.stringify(obj)));

function reply(c, id, result) {
  if (id !== undefined) sendJson(c, { type: 'reply', id, result });
}

function fail(c, id, code, error, message) {
  sendJson(c, { type: 'error', id: id ?? null, code, error, message });
}

function toRoom(room, obj, except) {
  const buf = Buffer.from(JSON.stringify(obj));
  for (const p of room.peers.values()) if (p !== except) send(p, buf);
}

function policyFor(role) {
  return { name: role, role: DEFAULT_ROLES[role], known_roles: DEFAULT_ROLES };
}

const ADMISSION = {
  FAST_JWT_EXPIRED: [4002, 'token_expired'],
  FAST_JWT_INACTIVE: [4003, 'token_not_yet_valid'],
};

function refuse(c, id, code, error, message) {
  fail(c, id, code, error, message);
  c.ws.close(code, error);
}

function onJoin(c, msg) {
  const id = msg.id;
  if (c.peer) return fail(c, id, 4103, 'already_joined', 'already joined');
  if (msg.protocol !== 1) return refuse(c, id, 4013, 'unsupported_protocol', 'protocol must be 1');
  if (typeof msg.token !== 'string' || msg.token.length > 8192) {
    return refuse(c, id, 4001, 'token_invalid', 'token missing or too long');
  }
  let claims;
  try {
    claims = verify(msg.token);
  } catch (e) {
    const [code, error] = ADMISSION[e.code] ?? [4001, 'token_invalid'];
    return refuse(c, id, code, error, e.message);
  }
  if (claims.exp * 1000 <= Date.now()) return refuse(c, id, 4002, 'token_expired', 'token expired');
  if (claims.access_key !== accessKey) return refuse(c, id, 4001, 'token_invalid', 'unknown access_key');
  if (claims.version !== 2) return refuse(c, id, 4001, 'token_invalid', 'version must be 2');
  if (claims.type !== 'app') return refuse(c, id, 4004, 'token_wrong_type', 'not an app token');
  if (typeof claims.room_id !== 'string' || typeof claims.role !== 'string') {
    return refuse(c, id, 4001, 'token_invalid', 'room_id and role must be strings');
  }
  if (!Object.hasOwn(DEFAULT_ROLES, claims.role)) return refuse(c, id, 4007, 'role_not_found', 'no such role');
  const name = typeof msg.name === 'string' ? msg.name : '';
  const metadata = typeof msg.metadata === 'string' ? msg.metadata : '';
  if (name.length > MAX_NAME || metadata.length > MAX_META) {
    return refuse(c, id, 4100, 'bad_message', 'name or metadata too long');
  }
  clearTimeout(c.joinTimer);
  let room = rooms.get(claims.room_id);
  if (!room) {
    room = { id: claims.room_id, name: claims.room_id, sessionId: randomUUID(), peers: new Map() };
    rooms.set(room.id, room);
  }
  const peer = {
    peer_id: randomUUID(), name, user_id: String(claims.user_id ?? ''), role: claims.role,
    metadata, joined_at: iso(),
  };
  const peers = [];
  for (const p of room.peers.values()) peers.push(p.peer);
  c.peer = peer;
  c.room = room;
  room.peers.set(peer.peer_id, c);
  reply(c, id, {
    protocol: 1, session_id: room.sessionId, room: { id: room.id, name: room.name }, peer,
    policy: policyFor(peer.role), peers, token_expires_at: iso(claims.exp * 1000), server_time: iso(),
  });
  toRoom(room, { type: 'peer-joined', peer }, c);
}

function leaveRoom(c, reason) {
  const room = c.room;
  if (!room) return;
  c.room = null;
  room.peers.delete(c.peer.peer_id);
  if (room.peers.size === 0) rooms.delete(room.id);
  else toRoom(room, { type: 'peer-left', peer_id: c.peer.peer_id, reason });
}

function onSendMessage(c, msg) {
  const id = msg.id;
  if (typeof msg.message !== 'string') return fail(c, id, 4100, 'bad_message', 'message must be a string');
  const messageType = msg.message_type === undefined ? 'chat' : msg.message_type;
  if (typeof messageType !== 'string') return fail(c, id, 4100, 'bad_message', 'message_type must be a string');
  const room = c.room;
  let to = null;
  let targets;
  if (msg.peer_id !== undefined) {
    const p = room.peers.get(msg.peer_id);
    if (!p) return fail(c, id, 4105, 'peer_not_found', 'no such peer');
    to = { peer_id: msg.peer_id };
    targets = [p];
  } else if (msg.roles !== undefined) {
    if (!Array.isArray(msg.roles)) return fail(c, id, 4100, 'bad_message', 'roles must be an array');
    to = { roles: msg.roles };
    targets = [...room.peers.values()].filter((p) => msg.roles.includes(p.peer.role));
  } else {
    targets = room.peers.values();
  }
  const messageId = randomUUID();
  const buf = Buffer.from(JSON.stringify({
    type: 'message', message_id: messageId, message: msg.message, message_type: messageType,
    from: c.peer, to, sent_at: iso(),
  }));
  reply(c, id, { message_id: messageId });
  for (const p of targets) send(p, buf);
}

// Token bucket per connection.
function allow(c) {
  const now = performance.now();
  c.tokens = Math.min(BURST, c.tokens + ((now - c.refilled) / 1000) * RATE);
  c.refilled = now;
  if (c.tokens < 1) return false;
  c.tokens -= 1;
  return true;
}

function onMessage(c, data, isBinary) {
  c.lastSeen = Date.now();
  if (isBinary) return c.ws.close(1003, 'binary frames are not accepted');
  let msg;
  try {
    msg = JSON.parse(data);
  } catch {
    return fail(c, null, 4100, 'bad_message', 'not JSON');
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg) || typeof msg.type !== 'string') {
    return fail(c, null, 4100, 'bad_message', 'not an object with a string type');
  }
  const id = msg.id;
  if (id !== undefined && typeof id !== 'number' && !(typeof id === 'string' && id.length <= 64)) {
    return fail(c, null, 4100, 'bad_message', 'id must be a number or a short string');
  }
  if (!allow(c)) return fail(c, id, 4107, 'rate_limited', 'too many messages');
  if (msg.type === 'join') return onJoin(c, msg);
  if (!c.peer) return fail(c, id, 4102, 'not_joined', 'join first');
  if (!c.room) return undefined; // left, closing
  switch (msg.type) {
    case 'send-message':
      return onSendMessage(c, msg);
    case 'ping':
      return reply(c, id, { server_time: iso() });
    case 'leave':
      reply(c, id, {});
      leaveRoom(c, 'left');
      return c.ws.close(1000, 'left');
    default:
      return fail(c, id, 4101, 'unknown_type', `unknown type '${msg.type}'`);
  }
}

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({
  host: '127.0.0.1', port, path: '/v2/signal', perMessageDeflate: false, maxPayload: MAX_FRAME,
  clientTracking: false, backlog: 4096,
});

wss.on('connection', (ws) => {
  const c = {
    ws, peer: null, room: null, tokens: BURST, refilled: performance.now(), lastSeen: Date.now(),
    joinTimer: null,
  };
  c.joinTimer = setTimeout(() => {
    if (!c.peer) refuse(c, null, 4012, 'join_timeout', 'no join in time');
  }, JOIN_TIMEOUT_MS);
  conns.add(c);
  ws.on('message', (data, isBinary) => onMessage(c, data, isBinary));
  ws.on('pong', () => { c.lastSeen = Date.now(); });
  ws.on('error', () => {});
  ws.on('close', () => {
    clearTimeout(c.joinTimer);
    conns.delete(c);
    leaveRoom(c, 'disconnected');
  });
});

setInterval(() => {
  const now = Date.now();
  for (const c of conns) {
    if (now - c.lastSeen > IDLE_TIMEOUT_MS) c.ws.terminate();
    else c.ws.ping();
  }
}, PING_INTERVAL_MS).unref();

wss.on('listening', () => {
  console.log(`listening on ws://127.0.0.1:${wss.address().port}`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const c of conns) c.ws.terminate();
    wss.close();
    process.exit(0);
  });
}
