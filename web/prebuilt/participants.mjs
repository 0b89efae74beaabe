/**
 * The participants panel: everyone in the call with their role and microphone state, and the
 * actions the local role may take on each of them (remove, ask to mute or unmute, change role).
 * Actions the role lacks are not rendered at all — the server refuses them anyway, and a button
 * that can only fail is noise.
 *
 * Rows are keyed by peer and rebuilt only when what they show changed, so an open role
 * <select> survives the room's other events.
 */

import { avatar, h, icon } from './dom.mjs';

/** `onAction(action, peer, value)`: action 'remove' | 'mute' | 'unmute' | 'change-role'. */
export function createParticipants({ onAction, onClose }) {
  const list = h('ul', { class: 'rg-people-list' });
  const title = h('h2', { id: 'rg-people-title' });
  const element = h('aside', {
    class: 'rg-people', id: 'rg-people', hidden: true, 'aria-labelledby': 'rg-people-title',
    dataset: { testid: 'participant-list' },
  },
  h('header', { class: 'rg-people-head' }, title,
    h('button', { class: 'rg-icon-btn', type: 'button', 'aria-label': 'Close participants', on: { click: onClose } }, icon('close'))),
  list);
  const rows = new Map(); // peer_id → {element, signature}

  /**
   * `view`: {self: Peer, peers: [Peer], permissions, roles: [role names a peer may be given],
   * audio(peer) → 'on' | 'off' (muted) | 'absent' (the role may publish audio but no track is
   * announced) | 'none' (the role publishes no audio)}. 'absent' still offers "Mute", so the
   * host's button does not depend on media timing; asking costs nothing.
   */
  function render(view) {
    const everyone = [view.self, ...view.peers];
    title.textContent = `In the call (${everyone.length})`;
    const present = new Set(everyone.map((p) => p.peer_id));
    for (const [id, row] of rows) {
      if (present.has(id)) continue;
      row.element.remove();
      rows.delete(id);
    }
    everyone.forEach((peer, index) => {
      const isSelf = peer === view.self;
      const audio = view.audio(peer);
      const signature = JSON.stringify([peer.name, peer.role, audio, isSelf ? null : view.permissions, view.roles]);
      let row = rows.get(peer.peer_id);
      if (row?.signature !== signature) {
        const element = renderRow(peer, isSelf, audio, view);
        if (row) row.element.replaceWith(element);
        else list.append(element);
        row = { element, signature };
        rows.set(peer.peer_id, row);
      }
      row.element.style.order = String(index);
    });
  }

  function renderRow(peer, isSelf, audio, { permissions, roles }) {
    const actions = isSelf ? [] : [
      permissions.mute && (audio === 'on' || audio === 'absent') && actionButton('mute', 'Mute', `Mute ${peer.name}`, peer),
      permissions.unmute && audio === 'off' && actionButton('unmute', 'Ask to unmute', `Ask ${peer.name} to unmute`, peer),
      permissions.changeRole && roleSelect(peer, roles),
      permissions.removeOthers && actionButton('remove', 'Remove', `Remove ${peer.name} from the call`, peer, 'rg-btn-danger'),
    ];
    return h('li', { class: 'rg-person', dataset: { peerId: peer.peer_id } },
      avatar(peer.name),
      h('div', { class: 'rg-person-text' },
        h('span', { class: 'rg-person-name', text: isSelf ? `${peer.name} (you)` : peer.name }),
        h('span', { class: 'rg-person-role', text: peer.role })),
      audio !== 'none' && h('span', {
        class: 'rg-person-mic', role: 'img', 'aria-label': audio === 'on' ? 'Microphone on' : 'Microphone off',
      }, icon(audio === 'on' ? 'mic' : 'mic-off')),
      actions.some(Boolean) && h('div', { class: 'rg-person-actions' }, actions));
  }

  function actionButton(action, text, label, peer, extra = '') {
    return h('button', {
      class: `rg-btn rg-btn-small ${extra}`, type: 'button', 'aria-label': label, dataset: { action },
      on: { click: () => onAction(action, peer) },
    }, text);
  }

  function roleSelect(peer, roles) {
    const select = h('select', { class: 'rg-select', 'aria-label': `Change role of ${peer.name}`, dataset: { action: 'change-role' } },
      roles.map((name) => h('option', { value: name, selected: name === peer.role, text: name })));
    select.addEventListener('change', () => {
      const role = select.value;
      // Until the server confirms, the row keeps showing the role the peer really has.
      select.value = peer.role;
      onAction('change-role', peer, role);
    });
    return select;
  }

  return { element, render };
}
