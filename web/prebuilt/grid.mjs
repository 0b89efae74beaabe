/**
 * The video grid: one tile per peer (self included) plus one per screen share.
 *
 * The call describes the tiles it wants on every change and `sync()` reconciles. Tile elements
 * are never moved once attached — moving a playing <video> pauses it — so ordering is done with
 * the CSS `order` property, and a video's srcObject is only replaced when its tracks changed.
 *
 * Layouts: a gallery (tiles as large as the area allows, 16:9) or, while someone shares a
 * screen, a stage with the first share large and everyone else in a strip.
 */

import { avatar, h, icon, play } from './dom.mjs';

const GAP_PX = 12; // --rg-gap in app.css
const ASPECT = 16 / 9;

/**
 * A tile description: {key, peerId, self, source: 'regular'|'screen', name, stream, audioOff,
 * videoOff, receiveOnly, note}. `note` replaces the video with a message (our own screen
 * share: showing it back to the presenter only produces a hall of mirrors).
 */
export function createGrid({ onAutoplayBlocked }) {
  const element = h('div', { class: 'rg-grid', dataset: { testid: 'grid' } });
  const tiles = new Map(); // key → {element, video, face, label, streamKey, describedAs, soundBlocked}
  const resize = new ResizeObserver(() => layout());
  resize.observe(element);

  function sync(descs) {
    const wanted = new Set(descs.map((d) => d.key));
    for (const [key, tile] of tiles) {
      if (wanted.has(key)) continue;
      tile.element.remove();
      tiles.delete(key);
    }
    descs.forEach((desc, index) => {
      let tile = tiles.get(desc.key);
      if (!tile) {
        tile = createTile(desc);
        tiles.set(desc.key, tile);
        element.append(tile.element);
      }
      updateTile(tile, desc, blocked);
      tile.element.style.order = String(index);
    });
    const staged = descs.find((d) => d.source === 'screen');
    for (const [key, tile] of tiles) tile.element.classList.toggle('rg-tile-stage', key === staged?.key);
    element.classList.toggle('rg-grid-stage', Boolean(staged));
    layout();
  }

  // Gallery: try every column count and keep the one giving the largest 16:9 tiles.
  function layout() {
    const count = tiles.size;
    const { clientWidth: width, clientHeight: height } = element;
    if (!count || !width || !height || element.classList.contains('rg-grid-stage')) return;
    let best = 0;
    for (let cols = 1; cols <= count; cols++) {
      const rows = Math.ceil(count / cols);
      let w = (width - (cols - 1) * GAP_PX) / cols;
      if (rows * (w / ASPECT) + (rows - 1) * GAP_PX > height) w = ((height - (rows - 1) * GAP_PX) / rows) * ASPECT;
      best = Math.max(best, w);
    }
    element.style.setProperty('--tile-w', `${Math.floor(best)}px`);
  }

  /**
   * Autoplay policies refuse unmuted media before the first user gesture (e.g. with
   * skip_preview). Such a video plays muted meanwhile — the picture matters too — and gets its
   * sound back here, called from a click.
   */
  function unmuteAll() {
    for (const tile of tiles.values()) {
      if (!tile.soundBlocked) continue;
      tile.soundBlocked = false;
      tile.video.muted = false;
      play(tile.video);
    }
  }

  function blocked(tile) {
    tile.soundBlocked = true;
    tile.video.muted = true;
    play(tile.video);
    onAutoplayBlocked();
  }

  function dispose() {
    resize.disconnect();
    for (const tile of tiles.values()) tile.video.srcObject = null;
    tiles.clear();
  }

  return { element, sync, unmuteAll, dispose };
}

function createTile(desc) {
  const video = h('video', { autoplay: true, playsinline: true, dataset: { source: desc.source } });
  // Our own media must never play back to us (echo); the attribute alone is not enough.
  video.muted = desc.self;
  if (desc.self && desc.source === 'regular') video.classList.add('rg-mirror');
  const face = h('div', { class: 'rg-tile-face' });
  const label = h('div', { class: 'rg-tile-label' });
  const element = h('div', {
    class: desc.source === 'screen' ? 'rg-tile rg-tile-screen' : 'rg-tile',
    dataset: { testid: 'tile', peerId: desc.peerId, self: String(desc.self), source: desc.source },
  }, video, face, label);
  return { element, video, face, label, streamKey: '', describedAs: '', soundBlocked: false };
}

function updateTile(tile, desc, blocked) {
  const streamKey = desc.stream ? desc.stream.getTracks().map((t) => t.id).sort().join() : '';
  if (streamKey !== tile.streamKey) {
    tile.streamKey = streamKey;
    tile.video.srcObject = desc.stream ?? null;
    if (desc.stream) play(tile.video, () => blocked(tile));
  }
  tile.element.classList.toggle('rg-video-off', Boolean(desc.videoOff || desc.note));
  // Labels and avatars only change with names and mute states; skip the DOM work otherwise.
  const describedAs = JSON.stringify([desc.name, desc.audioOff, desc.videoOff, desc.note, desc.receiveOnly]);
  if (describedAs === tile.describedAs) return;
  tile.describedAs = describedAs;
  const who = desc.self ? `${desc.name} (you)` : desc.name;
  const title = desc.source === 'screen' ? `${who} · screen` : who;
  tile.element.setAttribute('aria-label', title);
  tile.face.replaceChildren(desc.note
    ? h('p', { class: 'rg-tile-note', text: desc.note })
    : avatar(desc.name, 'rg-avatar rg-avatar-large'));
  // A peer whose role publishes nothing is not "muted": it has nothing to mute.
  const regular = desc.source === 'regular' && !desc.receiveOnly;
  tile.label.replaceChildren(...[
    regular && desc.audioOff && mutedIcon('mic-off', 'Microphone off', 'muted-audio'),
    regular && desc.videoOff && mutedIcon('video-off', 'Camera off', 'muted-video'),
    h('span', { class: 'rg-tile-name', text: title }),
  ].filter(Boolean));
}

function mutedIcon(name, text, testid) {
  return h('span', { class: 'rg-tile-muted', role: 'img', 'aria-label': text, title: text, dataset: { testid } }, icon(name));
}
