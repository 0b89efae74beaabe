/**
 * The preview screen: check camera and microphone, pick a name, join.
 *
 * The preview opens its own getUserMedia stream only to show the user how they look and sound;
 * it is stopped before joining, and the SDK opens the devices again when it publishes. What the
 * user settled on travels to the call as a "choice":
 *   {name, publish: {audio, video} | null, muted: {audio, video}}
 * `publish` names the devices that worked here (null: the user was not asked — a receive-only
 * role — so the call only offers media if the role turns out to allow it).
 */

import { avatar, h, icon, play, toggleAttr } from './dom.mjs';
import { startLevelMeter } from './level-meter.mjs';

const NAME_KEY = 'roomgate:name';

/**
 * `mode` 'meeting' | 'preview' (the heading), `roleName` (from the token, for the subtitle),
 * `receiveOnly` (skip the device check), `name` / `nameLocked`, `onJoin(choice)`.
 * Returns {element, dispose}.
 */
export function previewScreen({ mode, roleName, receiveOnly, name, nameLocked, onJoin }) {
  const media = receiveOnly ? null : createMediaCheck();
  const nameInput = h('input', {
    id: 'name', name: 'name', type: 'text', maxlength: 100, autocomplete: 'name',
    placeholder: 'Your name', value: name || rememberedName(), disabled: nameLocked,
    dataset: nameLocked ? { locked: 'true' } : { autofocus: '' },
  });
  nameInput.addEventListener('input', () => media?.setName(nameInput.value));
  media?.setName(nameInput.value);

  const join = (event) => {
    event.preventDefault();
    const chosen = nameInput.value.trim() || 'Guest';
    if (!nameLocked) remember(chosen);
    const choice = { name: chosen, publish: null, muted: { audio: false, video: false } };
    if (media) Object.assign(choice, media.result());
    dispose();
    onJoin(choice);
  };

  const form = h('form', { class: 'rg-card rg-preview-form', on: { submit: join } },
    h('h1', { text: mode === 'preview' ? 'Preview' : 'Ready to join?' }),
    roleName && h('p', { class: 'rg-muted' }, 'You’ll join as ', h('strong', { class: 'rg-role', text: roleName })),
    receiveOnly && h('p', { class: 'rg-note' },
      'You’re joining to watch and listen. Your camera and microphone stay off.'),
    h('label', { class: 'rg-label', for: 'name', text: 'Your name' }),
    nameInput,
    nameLocked && h('p', { class: 'rg-hint', text: 'Set by your invitation link.' }),
    h('button', {
      class: 'rg-btn rg-btn-primary rg-btn-wide', type: 'submit',
      dataset: nameLocked ? { testid: 'join', autofocus: '' } : { testid: 'join' },
    }, 'Join now'));

  const element = h('section', { class: 'rg-screen rg-preview', tabindex: -1, dataset: { screen: 'preview' } },
    h('header', { class: 'rg-topbar' }, h('span', { class: 'rg-brand', text: 'roomgate' })),
    h('div', { class: receiveOnly ? 'rg-preview-body rg-preview-solo' : 'rg-preview-body' },
      media?.element, form));

  function dispose() {
    media?.stop();
  }
  return { element, dispose };
}

/** The camera tile, the toggles and the level meter. */
function createMediaCheck() {
  const video = h('video', { class: 'rg-mirror', autoplay: true, muted: true, playsinline: true, dataset: { testid: 'preview-video' } });
  video.muted = true; // the attribute alone does not mute a srcObject stream in every browser
  const face = h('div', { class: 'rg-preview-face' });
  const status = h('p', { class: 'rg-preview-status', role: 'status' }, 'Starting camera and microphone…');
  const fill = h('span', { class: 'rg-meter-fill' });
  const meterEl = h('div', {
    class: 'rg-meter', role: 'meter', 'aria-label': 'Microphone level', 'aria-valuemin': 0,
    'aria-valuemax': 100, 'aria-valuenow': 0, dataset: { testid: 'audio-level' },
  }, fill);
  // `checked`: the devices answered (a stream or an error); until then nothing is known.
  const state = { stream: null, meter: null, audio: true, video: true, checked: false, stopped: false, name: '' };

  const toggle = (kind, label) => h('button', {
    class: 'rg-toggle', type: 'button', 'aria-pressed': 'true', disabled: true, dataset: { testid: `toggle-${kind}` },
    on: { click: () => setOn(kind, !state[kind]) },
  }, icon(kind === 'audio' ? 'mic' : 'video'), h('span', { class: 'rg-toggle-label', text: label }));
  const audioBtn = toggle('audio', 'Mic on');
  const videoBtn = toggle('video', 'Camera on');

  const stage = h('div', { class: 'rg-preview-stage' }, video, face, status);
  const element = h('div', { class: 'rg-preview-media' }, stage,
    h('div', { class: 'rg-preview-controls' }, audioBtn, videoBtn, meterEl));
  // One gesture is enough to let the meter's AudioContext run (autoplay policy).
  element.ownerDocument.addEventListener('pointerdown', () => state.meter?.resume(), { once: true });

  function setOn(kind, on) {
    state[kind] = on;
    for (const track of tracksOf(kind)) track.enabled = on;
    const btn = kind === 'audio' ? audioBtn : videoBtn;
    btn.setAttribute('aria-pressed', String(on));
    btn.replaceChildren(icon(kind === 'audio' ? (on ? 'mic' : 'mic-off') : (on ? 'video' : 'video-off')),
      h('span', { class: 'rg-toggle-label', text: `${kind === 'audio' ? 'Mic' : 'Camera'} ${on ? 'on' : 'off'}` }));
    render();
  }

  function tracksOf(kind) {
    return state.stream ? (kind === 'audio' ? state.stream.getAudioTracks() : state.stream.getVideoTracks()) : [];
  }

  function render() {
    const showVideo = state.video && tracksOf('video').length > 0;
    stage.classList.toggle('rg-video-off', !showVideo);
    face.replaceChildren(avatar(state.name || '?', 'rg-avatar rg-avatar-large'));
    toggleAttr(audioBtn, 'disabled', tracksOf('audio').length === 0);
    toggleAttr(videoBtn, 'disabled', tracksOf('video').length === 0);
    meterEl.hidden = tracksOf('audio').length === 0;
  }

  async function start() {
    try {
      state.stream = await openDevices();
    } catch (e) {
      state.checked = true;
      status.textContent = deviceProblem(e);
      render();
      return;
    }
    state.checked = true;
    if (state.stopped) return stopTracks(state.stream);
    status.textContent = '';
    video.srcObject = state.stream;
    play(video);
    if (state.stream.getAudioTracks().length) {
      state.meter = startLevelMeter(state.stream, (level) => {
        const level100 = Math.round((state.audio ? level : 0) * 100);
        fill.style.transform = `scaleX(${level100 / 100})`;
        meterEl.setAttribute('aria-valuenow', String(level100));
      });
    }
    render();
  }
  start();

  return {
    element,
    setName(name) {
      state.name = name.trim();
      render();
    },
    // Joined before the check finished (cameras can take seconds): let the call try both.
    result: () => ({
      publish: state.checked
        ? { audio: tracksOf('audio').length > 0, video: tracksOf('video').length > 0 }
        : { audio: true, video: true },
      muted: { audio: !state.audio, video: !state.video },
    }),
    stop() {
      if (state.stopped) return; // joining stops the check, and so does leaving the screen
      state.stopped = true;
      state.meter?.stop();
      stopTracks(state.stream);
      video.srcObject = null;
    },
  };
}

/** Camera and microphone together; if that fails for a reason other than a refusal, each alone. */
async function openDevices() {
  if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('insecure', 'SecurityError');
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch (e) {
    if (e.name === 'NotAllowedError') throw e;
    for (const constraints of [{ audio: true }, { video: true }]) {
      try {
        return await navigator.mediaDevices.getUserMedia(constraints);
      } catch { /* try the next device */ }
    }
    throw e;
  }
}

function deviceProblem(e) {
  if (e.name === 'NotAllowedError') return 'Camera and microphone are blocked. Allow them in the address bar, or join without them.';
  if (e.name === 'SecurityError') return 'Camera and microphone need a secure (https) connection. You can still join to watch and listen.';
  if (e.name === 'NotFoundError') return 'No camera or microphone found. You can still join to watch and listen.';
  return 'Your camera or microphone could not be started. Another app may be using it.';
}

function stopTracks(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

// A remembered name saves typing on the next call; storage may be unavailable (sandboxed iframes).
function rememberedName() {
  try {
    return localStorage.getItem(NAME_KEY) || '';
  } catch {
    return '';
  }
}

function remember(name) {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch { /* not remembering is fine */ }
}
