/**
 * The call's message area: short notices that fade on their own ("Ann muted you") and prompts
 * that wait for an answer ("Ann asks you to unmute"). Prompts are non-modal on purpose: the call
 * must stay usable while a request is pending, and a request the user ignores simply expires.
 */

import { h, icon } from './dom.mjs';

const NOTICE_MS = 6000;
const MAX_NOTICES = 3; // more would cover the video; the oldest give way

export function createNotices() {
  const element = h('div', { class: 'rg-notices', 'aria-live': 'polite', dataset: { testid: 'notices' } });
  const prompts = new Map(); // key → settle(answer)

  /** Shows `text` for a few seconds; an `action` ({label, run}) keeps it until used or closed. */
  function notice(text, { tone = 'info', action } = {}) {
    const close = () => item.remove();
    const role = tone === 'error' ? 'alert' : 'status';
    const item = h('div', { class: `rg-notice rg-tone-${tone}`, role, dataset: { testid: 'notice' } },
      h('span', { class: 'rg-notice-text', text }),
      action && h('button', {
        class: 'rg-btn rg-btn-small rg-btn-primary', type: 'button',
        on: { click: () => { close(); action.run(); } },
      }, action.label),
      h('button', { class: 'rg-icon-btn', type: 'button', 'aria-label': 'Dismiss', on: { click: close } }, icon('close')));
    element.append(item);
    const shown = element.querySelectorAll('.rg-notice:not(.rg-prompt)');
    for (let i = 0; i < shown.length - MAX_NOTICES; i++) shown[i].remove();
    if (!action) setTimeout(close, NOTICE_MS);
  }

  /**
   * Asks a yes/no question; resolves true (accept) or false (decline, timeout, or replaced by a
   * newer prompt with the same `key` — e.g. a second role-change request supersedes the first).
   */
  function ask({ key, text, accept = 'Accept', decline = 'Decline', timeoutMs }) {
    prompts.get(key)?.(false);
    return new Promise((resolve) => {
      let timer;
      const settle = (answer) => {
        clearTimeout(timer);
        prompts.delete(key);
        item.remove();
        resolve(answer);
      };
      const item = h('div', { class: 'rg-notice rg-prompt', role: 'alertdialog', 'aria-label': text, dataset: { testid: 'prompt', key } },
        h('span', { class: 'rg-notice-text', text }),
        h('div', { class: 'rg-prompt-actions' },
          answer('rg-btn rg-btn-small', 'prompt-decline', decline, () => settle(false)),
          answer('rg-btn rg-btn-small rg-btn-primary', 'prompt-accept', accept, () => settle(true))));
      prompts.set(key, settle);
      element.append(item);
      if (timeoutMs) timer = setTimeout(() => settle(false), timeoutMs);
    });
  }

  /** Dismisses everything (the call is over); pending prompts answer false. */
  function clear() {
    for (const settle of [...prompts.values()]) settle(false);
    element.replaceChildren();
  }

  return { element, notice, ask, clear };
}

function answer(className, testid, text, onClick) {
  return h('button', { class: className, type: 'button', dataset: { testid }, on: { click: onClick } }, text);
}
