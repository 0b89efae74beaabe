/**
 * The call screen: grid, toolbar, participants panel and notices, all driven by one joined
 * RoomgateClient. The client is the single source of truth — peers, tracks, policy, local mute
 * state — and every SDK event just schedules one re-render (batched per microtask), so the UI
 * can never drift from what the SDK knows. The only local state is what the SDK does not
 * expose: our own screen share, pending actions, and whether the panel is open.
 *
 * The call ending (leave, removed, room ended, token expired, disconnect) is the app's
 * business (app.mjs); this screen only asks for `onLeave()`.
 */

import { h } from './dom.mjs';
import { createControls } from './controls.mjs';
import { createGrid } from './grid.mjs';
import { createNotices } from './notices.mjs';
import { createParticipants } from './participants.mjs';

const CAPTURE_FAILED = 3001; // the SDK's code for getUserMedia/getDisplayMedia failures
const ROLE_REQUEST_MS = 60_000; // the server voids a role-change request after 60 s
const TRACK_WORDS = { audio: 'microphone', video: 'camera' };

/** `choice` comes from the preview (see preview.mjs). Returns {element, notice, dispose}. */
export function callScreen({ client, choice, onLeave }) {
  const local = { sharing: false, busy: new Set(), panelOpen: false, soundBlocked: false };
  const notices = createNotices();
  const grid = createGrid({ onAutoplayBlocked: soundBlocked });
  const people = createParticipants({ onAction: peerAction, onClose: () => togglePanel(false) });
  const controls = createControls({ onAction: controlAction });
  const roleChip = h('span', { class: 'rg-chip', dataset: { testid: 'role' } });
  const count = h('span', { class: 'rg-muted' });
  const element = h('section', { class: 'rg-screen rg-call', tabindex: -1, dataset: { screen: 'call' } },
    h('header', { class: 'rg-topbar' }, h('span', { class: 'rg-brand', text: 'roomgate' }), roleChip, count),
    h('div', { class: 'rg-call-body' }, h('main', { class: 'rg-stage' }, grid.element), people.element),
    notices.element,
    controls.element);
  element.addEventListener('keydown', (e) => e.key === 'Escape' && togglePanel(false));

  let scheduled = false;
  let disposed = false;
  const refresh = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (!disposed) render();
    });
  };

  const handlers = {
    'peer-joined': refresh,
    'peer-left': refresh,
    'peer-updated': refresh,
    'track-added': refresh,
    'track-muted': refresh,
    'remote-track': refresh,
    'track-removed': (track) => {
      // Also how we learn that the browser's own "Stop sharing" bar ended our share.
      if (track.peer_id === client.localPeer.peer_id && track.source === 'screen') local.sharing = false;
      refresh();
    },
    'role-changed': onRoleChanged,
    'mute-request': onMuteRequest,
    'role-change-request': onRoleChangeRequest,
    error: (e) => {
      if (e.source === 'screen') local.sharing = false; // the server withdrew our share
      // A publication withdrawn by a role change is announced by 'role-changed' already.
      if (!(e.name === 'publication_closed' && e.reason === 'role_changed')) {
        notices.notice(`Media problem: ${e.message}`, { tone: 'error' });
      }
      refresh();
    },
  };
  for (const [name, fn] of Object.entries(handlers)) client.on(name, fn);

  render();
  if (choice.publish) act('media', () => startMedia(choice.publish, choice.muted));
  else offerMedia('Your role can share audio and video.');

  // ---- rendering -------------------------------------------------------------------------

  function render() {
    const self = client.localPeer;
    const peers = [...client.peers.values()];
    const canScreen = client.canPublish('screen') && Boolean(navigator.mediaDevices?.getDisplayMedia);
    grid.sync(tiles(self, peers));
    people.render({ self, peers, permissions: client.permissions ?? {}, roles: assignableRoles(), audio: audioState });
    controls.render({
      audio: client.canPublish('audio') && { muted: audioState(self) !== 'on', busy: busy('audio') },
      video: client.canPublish('video') && { muted: !localHas('video') || client.isVideoMuted, busy: busy('video') },
      screen: canScreen && { sharing: local.sharing, busy: local.busy.has('screen') },
      people: { count: peers.length + 1, open: local.panelOpen },
      endRoom: Boolean(client.permissions?.endRoom),
    });
    roleChip.textContent = self.role;
    count.textContent = `${peers.length + 1} in the call`;
  }

  // 'media' is a (re)publication: both device buttons wait for it.
  function busy(kind) {
    return local.busy.has(kind) || local.busy.has('media');
  }

  function tiles(self, peers) {
    const stream = client.localStream;
    const regular = [{
      key: `${self.peer_id}:regular`, peerId: self.peer_id, self: true, source: 'regular', name: self.name, stream,
      receiveOnly: !client.canPublish('audio') && !client.canPublish('video'),
      audioOff: audioState(self) !== 'on', videoOff: !localHas('video') || client.isVideoMuted,
    }];
    const screens = [];
    for (const peer of peers) {
      const base = { peerId: peer.peer_id, self: false, name: peer.name };
      const video = trackOf(peer.peer_id, 'regular', 'video');
      const camera = client.streamOf(peer.peer_id, 'regular');
      regular.push({
        ...base, key: `${peer.peer_id}:regular`, source: 'regular', stream: camera,
        receiveOnly: audioState(peer) === 'none' && !video && !roleAllows(peer.role, 'video'),
        audioOff: audioState(peer) !== 'on', videoOff: !video || video.muted || !camera?.getVideoTracks().length,
      });
      if (trackOf(peer.peer_id, 'screen', 'video')) {
        const shared = client.streamOf(peer.peer_id, 'screen');
        screens.push({
          ...base, key: `${peer.peer_id}:screen`, source: 'screen', stream: shared,
          videoOff: !shared?.getVideoTracks().length,
        });
      }
    }
    // A share goes first: it takes the stage. Our own comes after the others' — we know what
    // we are sharing, everyone else wants to see it.
    if (local.sharing) {
      screens.push({
        key: `${self.peer_id}:screen`, peerId: self.peer_id, self: true, source: 'screen', name: self.name,
        note: 'You are sharing your screen',
      });
    }
    return [...screens, ...regular];
  }

  /** 'on' | 'off' | 'absent' | 'none' — see participants.mjs. */
  function audioState(peer) {
    if (peer === client.localPeer) {
      if (localHas('audio')) return client.isAudioMuted ? 'off' : 'on';
      return client.canPublish('audio') ? 'absent' : 'none';
    }
    const track = trackOf(peer.peer_id, 'regular', 'audio');
    if (track) return track.muted ? 'off' : 'on';
    return roleAllows(peer.role, 'audio') ? 'absent' : 'none';
  }

  function trackOf(peerId, source, kind) {
    for (const t of client.tracks.values()) if (t.peer_id === peerId && t.source === source && t.kind === kind) return t;
    return null;
  }

  function localHas(kind) {
    const stream = client.localStream;
    return Boolean(stream && (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks()).length);
  }

  function roleAllows(roleName, kind) {
    return Boolean(client.policy?.known_roles?.[roleName]?.publishParams?.allowed?.includes(kind));
  }

  // A role with maxPeerCount -1 admits nobody, so it cannot be given either.
  function assignableRoles() {
    return Object.entries(client.policy?.known_roles ?? {}).filter(([, r]) => r.maxPeerCount !== -1).map(([name]) => name);
  }

  // ---- own media -------------------------------------------------------------------------

  /** Runs one action of ours with its button disabled meanwhile; failures become notices. */
  async function act(key, fn) {
    local.busy.add(key);
    refresh();
    try {
      await fn();
    } catch (e) {
      notices.notice(problem(e), { tone: 'error' });
    } finally {
      local.busy.delete(key);
      refresh();
    }
  }

  /**
   * Publishes the camera and/or microphone (`publish`: which to try, limited to what the role
   * allows) with the mute state the user chose. One regular publication carries both kinds,
   * so adding a kind later means publishing again.
   */
  async function startMedia(publish, muted) {
    const kinds = { audio: publish.audio && client.canPublish('audio'), video: publish.video && client.canPublish('video') };
    if (!kinds.audio && !kinds.video) return;
    if (client.localStream) await client.unpublish('regular');
    // Muting first makes a muted device go out muted from its first packet (the SDK keeps
    // mute as a preference); muting again once live covers an SDK that only mutes live tracks.
    await client.setAudioMuted(muted.audio);
    await client.setVideoMuted(muted.video);
    try {
      await client.publish(kinds);
    } catch (e) {
      if (e.code !== CAPTURE_FAILED || !kinds.audio || !kinds.video) throw e;
      // A missing or busy camera must not also cost the microphone.
      kinds.video = false;
      await client.publish(kinds);
      notices.notice('Your camera could not be started; you joined with your microphone only.');
    }
    if (kinds.audio) await client.setAudioMuted(muted.audio);
    if (kinds.video) await client.setVideoMuted(muted.video);
  }

  /** Turns one kind on: unmutes it, or publishes it (keeping the other kind as it is). */
  function turnOn(kind) {
    return act(localHas(kind) ? kind : 'media', async () => {
      if (!localHas(kind)) {
        const other = kind === 'audio' ? 'video' : 'audio';
        const otherOn = localHas(other) && !(other === 'audio' ? client.isAudioMuted : client.isVideoMuted);
        return startMedia({ audio: true, video: true }, { [kind]: false, [other]: !otherOn });
      }
      await (kind === 'audio' ? client.setAudioMuted(false) : client.setVideoMuted(false));
    });
  }

  function toggleKind(kind) {
    const muted = !localHas(kind) || (kind === 'audio' ? client.isAudioMuted : client.isVideoMuted);
    if (muted) return turnOn(kind);
    return act(kind, () => (kind === 'audio' ? client.setAudioMuted(true) : client.setVideoMuted(true)));
  }

  function toggleScreen() {
    return act('screen', async () => {
      if (local.sharing) {
        local.sharing = false;
        return client.stopScreenShare();
      }
      try {
        await client.startScreenShare();
        local.sharing = true;
      } catch (e) {
        // Closing the browser's picker is a choice, not an error.
        if (e.code === CAPTURE_FAILED && /NotAllowed|Abort/.test(e.message)) return;
        throw e;
      }
    });
  }

  /** Offers to start media when the role may publish but nothing is published. */
  async function offerMedia(text) {
    if (client.localStream || (!client.canPublish('audio') && !client.canPublish('video'))) return;
    const yes = await notices.ask({ key: 'start-media', text, accept: 'Turn on camera & mic', decline: 'Not now' });
    if (yes) act('media', () => startMedia({ audio: true, video: true }, { audio: false, video: false }));
  }

  // ---- requests from the room --------------------------------------------------------------

  function onRoleChanged(policy) {
    notices.notice(`Your role is now “${policy.name}”.`);
    if (!client.canPublish('screen')) local.sharing = false; // the server withdrew the share
    refresh();
    offerMedia('Your new role can share audio and video.');
  }

  async function onMuteRequest({ from, track, mute }) {
    const who = from?.name ?? 'The host';
    if (mute) {
      // The SDK has already obeyed (a screen share is stopped); we only say who asked.
      notices.notice(track === 'screen' ? `${who} stopped your screen share.` : `${who} muted your ${TRACK_WORDS[track]}.`);
      refresh();
      return;
    }
    if (track === 'screen') return; // nothing to turn back on: sharing again is the user's call
    const text = `${who} asks you to turn on your ${TRACK_WORDS[track]}.`;
    const yes = await notices.ask({ key: `unmute-${track}`, text, accept: 'Turn on', decline: 'Not now' });
    if (yes) turnOn(track);
  }

  async function onRoleChangeRequest({ request_id: requestId, from, role }) {
    const who = from?.name ?? 'The host';
    const yes = await notices.ask({ key: 'role-change', text: `${who} invites you to become “${role}”.`, timeoutMs: ROLE_REQUEST_MS });
    if (!yes) return; // declining needs no message: the request simply lapses
    client.acceptRoleChange(requestId)
      .catch((e) => notices.notice(`Couldn’t change your role: ${e.message}`, { tone: 'error' }));
  }

  // ---- our actions -------------------------------------------------------------------------

  function controlAction(name) {
    if (name === 'audio' || name === 'video') toggleKind(name);
    else if (name === 'screen') toggleScreen();
    else if (name === 'people') togglePanel(!local.panelOpen);
    else if (name === 'end-room') act('end-room', () => client.endRoom({ lock: false }));
    else if (name === 'leave') onLeave();
  }

  function togglePanel(open) {
    local.panelOpen = open;
    people.element.hidden = !open;
    refresh();
  }

  async function peerAction(action, peer, role) {
    const { peer_id: peerId, name } = peer;
    try {
      if (action === 'remove') {
        await client.removePeer(peerId);
        notices.notice(`${name} was removed from the call.`);
      } else if (action === 'mute' || action === 'unmute') {
        await client.requestMute({ peerId, track: 'audio', mute: action === 'mute' });
        notices.notice(action === 'mute' ? `You muted ${name}.` : `You asked ${name} to unmute.`);
      } else if (action === 'change-role') {
        // Taking publishing away needs no consent; a role that may publish is an invitation
        // the peer accepts (it never turns their camera on by itself either way).
        const force = !['audio', 'video', 'screen'].some((k) => roleAllows(role, k));
        await client.changeRole(peerId, role, { force });
        notices.notice(force ? `${name} is now “${role}”.` : `You invited ${name} to become “${role}”.`);
      }
    } catch (e) {
      notices.notice(problem(e), { tone: 'error' });
    }
  }

  function soundBlocked() {
    if (local.soundBlocked) return;
    local.soundBlocked = true;
    notices.notice('Your browser paused the call’s sound.', {
      action: { label: 'Turn on sound', run: () => { local.soundBlocked = false; grid.unmuteAll(); } },
    });
  }

  function dispose() {
    disposed = true;
    for (const [name, fn] of Object.entries(handlers)) client.off(name, fn);
    grid.dispose();
    notices.clear();
  }

  return { element, notice: notices.notice, dispose };
}

function problem(e) {
  if (e?.code === CAPTURE_FAILED) return `Your camera or microphone could not be started (${e.message}).`;
  if (e?.code === 4104) return 'Your role isn’t allowed to do that.';
  if (e?.code === 4105) return 'That person has already left.';
  if (e?.code === 4501) return 'Audio and video are not available on this server right now.';
  return e?.message || 'Something went wrong.';
}
