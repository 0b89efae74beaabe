/**
 * The whole custom call page: the room code comes from our own URL (/call/<code>), `?name=`
 * and `?userId=` from its query. The SDK is imported from roomgate itself (/config.json says
 * where roomgate is), so this page never ships a copy that could drift from the server.
 *
 * Flow: config → SDK → token for the code → Join click → join → publish what the role may →
 * one <video> per peer.
 */

const code = location.pathname.match(/^\/call\/([A-Za-z0-9-]+)\/?$/)?.[1];
const query = new URLSearchParams(location.search);
const name = query.get('name') || 'Guest';
const userId = query.get('userId') || undefined;

const statusEl = document.getElementById('status');
const videos = document.getElementById('videos');
const joinButton = document.getElementById('join');
const leaveButton = document.getElementById('leave');
const status = (text) => (statusEl.textContent = text);
let finished = false;

async function main() {
  const { roomgateUrl } = await (await fetch('/config.json')).json();
  const { getAuthTokenByRoomCode, RoomgateClient } = await import(`${roomgateUrl}/sdk/roomgate.mjs`);
  const getToken = () => getAuthTokenByRoomCode({ roomCode: code, userId }, { endpoint: `${roomgateUrl}/v2/token` });

  status('Checking the link…');
  const authToken = await getToken();

  // Joining waits for a click: browsers play the others' sound only after a user gesture.
  status('Ready.');
  joinButton.textContent = `Join as ${name}`;
  joinButton.hidden = false;
  await new Promise((resolve) => joinButton.addEventListener('click', resolve, { once: true }));
  joinButton.hidden = true;

  status('Joining…');
  const client = new RoomgateClient({ server: `${roomgateUrl.replace(/^http/, 'ws')}/v2/signal` });
  wire(client, getToken);
  await client.join({ authToken, userName: name });
  status(`In the call as ${client.localPeer.name} (role: ${client.policy.name}).`);
  leaveButton.hidden = false;
  leaveButton.addEventListener('click', () => {
    finish('You left the call.');
    client.leave();
  }, { once: true });
  for (const peer of client.peers.values()) tileFor(peer);

  // Resolves without doing anything for a role that may publish nothing (a viewer).
  try {
    await client.publish({ audio: true, video: true });
  } catch (e) {
    // Still in the call, watching: camera refused, or no media server (code 4501).
    status(`In the call, but your camera and microphone are off: ${e.message}`);
  }
  if (client.localStream) {
    const self = tileFor(client.localPeer, 'You');
    self.figure.classList.add('self');
    self.video.muted = true; // never play our own microphone back to us
    self.video.srcObject = client.localStream;
  }
}

function wire(client, getToken) {
  client.on('peer-joined', (peer) => tileFor(peer));
  client.on('peer-left', ({ peer_id: id }) => document.getElementById(`peer-${id}`)?.remove());
  // Media of a peer arrived: its tile shows that peer's camera and microphone together.
  client.on('remote-track', ({ track }) => {
    const peer = client.peers.get(track.peer_id);
    if (peer && track.source === 'regular') tileFor(peer).video.srcObject = client.streamOf(peer.peer_id);
  });
  client.on('token-will-expire', async () => {
    // A link-based page simply redeems its code again.
    try {
      await client.refreshToken(await getToken());
    } catch (e) {
      status(`Your access ends soon: ${e.message}`);
    }
  });
  client.on('removed', ({ by, reason }) => finish(`${by?.name ?? 'The host'} removed you${reason ? `: ${reason}` : '.'}`));
  client.on('room-ended', ({ by }) => finish(`${by?.name ?? 'The host'} ended the call.`));
  client.on('token-expired', () => finish('Your access expired.'));
  client.on('disconnected', ({ code: closeCode }) => finish(`Disconnected (${closeCode}).`));
  client.on('error', (e) => console.warn('roomgate:', e.code, e.message));
}

/** The tile of a peer, made on first use: a <figure> with a <video> and the name. */
function tileFor(peer, label = peer.name) {
  let figure = document.getElementById(`peer-${peer.peer_id}`);
  if (!figure) {
    figure = document.createElement('figure');
    figure.id = `peer-${peer.peer_id}`;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    caption.textContent = label;
    figure.append(video, caption);
    videos.append(figure);
  }
  return { figure, video: figure.querySelector('video') };
}

function finish(text) {
  if (finished) return;
  finished = true;
  status(text);
  leaveButton.hidden = true;
  for (const video of videos.querySelectorAll('video')) video.srcObject = null;
}

if (!code) {
  status('No room code in this link: open /call/<room code>.');
} else {
  main().catch((e) => {
    // RoomgateError codes: 404 unknown code, 403 disabled, 2003 roomgate unreachable, 4xxx a refused join.
    const why = { 404: 'This link does not exist.', 403: 'This link is disabled.' }[e.code];
    status(why ?? `Could not join: ${e.message}`);
    joinButton.hidden = true;
  });
}
