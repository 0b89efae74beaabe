/**
 * <roomgate-prebuilt> — the Prebuilt app as a custom element, for pages that embed a call.
 *
 *   <script type="module" src="https://rooms.example.com/prebuilt/roomgate-prebuilt.mjs"></script>
 *   <roomgate-prebuilt room-code="abc-defg-hij" name="Ann"></roomgate-prebuilt>
 *
 * Attributes (read when the element is connected): `room-code`, `auth-token` (skips the token
 * call; then `room-code` may be left out), `name` (pre-fills and locks the name field),
 * `user-id`, `endpoint` (full URL of the token endpoint; default: the roomgate this file came
 * from), `skip-preview` (present: join at once).
 *
 * Events (bubbling, composed): 'joined' {peer}, 'left' {reason, message}, 'error' {kind, code,
 * message} — the same vocabulary as the page's error screens. `element.client` is the current
 * RoomgateClient.
 *
 * The app renders into an open shadow root with its own stylesheet, so the host page's CSS and
 * the app's cannot collide. Relative URLs resolve against this module, which is what makes a
 * cross-origin embed find its stylesheet, the SDK and the token endpoint.
 */

import { mountApp } from './app.mjs';

const STYLESHEET = new URL('./app.css', import.meta.url).href;

export class RoomgatePrebuilt extends HTMLElement {
  #app = null;

  connectedCallback() {
    if (this.#app) return; // re-attached after a move: the call goes on
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLESHEET;
    const container = document.createElement('div');
    shadow.replaceChildren(link, container);
    const name = this.getAttribute('name')?.trim() || null;
    this.#app = mountApp(container, {
      mode: 'meeting',
      roomCode: this.getAttribute('room-code') || null,
      authToken: this.getAttribute('auth-token') || null,
      userId: this.getAttribute('user-id') || null,
      endpoint: this.getAttribute('endpoint') || null,
      name,
      nameLocked: Boolean(name),
      skipPreview: this.hasAttribute('skip-preview'),
      onEvent: (type, detail) => this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true })),
    });
  }

  disconnectedCallback() {
    // Moving the element within the page disconnects and reconnects it in one task; only a
    // real removal should end the call.
    queueMicrotask(() => {
      if (this.isConnected || !this.#app) return;
      this.#app.destroy();
      this.#app = null;
    });
  }

  get client() {
    return this.#app?.client ?? null;
  }
}

if (!customElements.get('roomgate-prebuilt')) customElements.define('roomgate-prebuilt', RoomgatePrebuilt);
