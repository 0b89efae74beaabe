/**
 * The call's toolbar. Buttons are created once and updated in place (a rebuilt button would
 * steal keyboard focus on every room event); a button the local role may not use is taken out
 * of the DOM rather than disabled, as the DOM contract requires.
 */

import { h, icon, toggleAttr } from './dom.mjs';

/** `onAction(name)`: 'audio' | 'video' | 'screen' | 'people' | 'end-room' | 'leave'. */
export function createControls({ onAction }) {
  const button = (testid, action, extra = '') => h('button', {
    class: `rg-control ${extra}`, type: 'button', dataset: { testid }, on: { click: () => onAction(action) },
  });
  const audio = button('mute-audio', 'audio', 'rg-control-mute');
  const video = button('mute-video', 'video', 'rg-control-mute');
  const screen = button('screen-share', 'screen', 'rg-control-share');
  const people = button('participants', 'people');
  people.setAttribute('aria-controls', 'rg-people');
  const endRoom = button('end-room', 'end-room', 'rg-control-danger-outline');
  const leave = button('leave', 'leave', 'rg-control-danger');
  set(endRoom, 'power', 'End for all');
  set(leave, 'leave', 'Leave');
  endRoom.setAttribute('aria-label', 'End the call for everyone');
  leave.setAttribute('aria-label', 'Leave the call');

  const media = h('div', { class: 'rg-control-group' });
  const exits = h('div', { class: 'rg-control-group' });
  // Three columns: the room on the left, your media in the middle, the ways out on the right.
  const element = h('footer', { class: 'rg-controls', role: 'toolbar', 'aria-label': 'Call controls' },
    h('div', { class: 'rg-control-group' }, people), media, exits);

  /**
   * `view`: {audio: {muted, busy} | false, video: {muted, busy} | false,
   * screen: {sharing, busy} | false, people: {count, open}, endRoom: bool}.
   */
  function render(view) {
    if (view.audio) {
      set(audio, view.audio.muted ? 'mic-off' : 'mic', view.audio.muted ? 'Unmute' : 'Mute');
      state(audio, view.audio.muted, view.audio.busy);
    }
    if (view.video) {
      set(video, view.video.muted ? 'video-off' : 'video', view.video.muted ? 'Start video' : 'Stop video');
      state(video, view.video.muted, view.video.busy);
    }
    if (view.screen) {
      set(screen, 'screen', view.screen.sharing ? 'Stop sharing' : 'Share screen');
      state(screen, view.screen.sharing, view.screen.busy);
    }
    set(people, 'people', 'People', String(view.people.count));
    people.setAttribute('aria-expanded', String(view.people.open));
    people.setAttribute('aria-label', `Participants (${view.people.count})`);
    place(media, [view.audio && audio, view.video && video, view.screen && screen]);
    place(exits, [view.endRoom && endRoom, leave]);
  }

  return { element, render };
}

// Relabels only when the text changed, so screen readers are not re-announced on every event.
function set(button, iconName, text, badge) {
  const key = `${iconName}|${text}|${badge ?? ''}`;
  if (button.dataset.view === key) return;
  button.dataset.view = key;
  button.replaceChildren(
    h('span', { class: 'rg-control-icon' }, icon(iconName), badge && h('span', { class: 'rg-badge', text: badge })),
    h('span', { class: 'rg-control-label', text }));
}

function state(button, pressed, busy) {
  button.setAttribute('aria-pressed', String(pressed));
  toggleAttr(button, 'disabled', busy);
  toggleAttr(button, 'aria-busy', busy, 'true');
}

/** Puts exactly `wanted` (falsy entries dropped) into `group`, touching the DOM only on change. */
function place(group, wanted) {
  const buttons = wanted.filter(Boolean);
  const same = buttons.length === group.children.length && buttons.every((b, i) => group.children[i] === b);
  if (!same) group.replaceChildren(...buttons);
}
