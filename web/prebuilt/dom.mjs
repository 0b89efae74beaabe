/**
 * DOM helpers for the Prebuilt app. Everything is built with DOM APIs (never HTML strings), so
 * the page runs under a strict CSP (script-src 'self'; style-src 'self') and peer-supplied text
 * such as names can never become markup.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an element. `props`: `class`, `text`, `on` ({event: fn}), `dataset`, boolean or string
 * attributes (a `false`/`null`/`undefined` value leaves the attribute out). Children may be
 * nodes, strings, or falsy (skipped), so optional parts read naturally inline.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === false || value === null || value === undefined) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'on') for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** Sets or removes a boolean-ish attribute in one call. */
export function toggleAttr(el, name, on, value = '') {
  if (on) el.setAttribute(name, value);
  else el.removeAttribute(name);
}

// 24×24 stroke icons, drawn for this app. Each entry is a list of path data strings.
const ICONS = {
  mic: ['M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z', 'M19 11a7 7 0 0 1-14 0', 'M12 18v3'],
  'mic-off': [
    'M15 10V6a3 3 0 0 0-5.7-1.3', 'M9 9v3a3 3 0 0 0 5 2.2', 'M19 11a7 7 0 0 1-1.1 3.8',
    'M5 11a7 7 0 0 0 11 5.7', 'M12 18v3', 'M3 3l18 18',
  ],
  video: ['M3 7h11a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z', 'M15 10.5l6-3.5v10l-6-3.5'],
  'video-off': ['M10 7h4a1 1 0 0 1 1 1v4', 'M15 16a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h2', 'M15 10.5l6-3.5v10', 'M3 3l18 18'],
  screen: ['M3 4h18v12H3z', 'M8 20h8', 'M12 16v4', 'M9 10l3-3 3 3', 'M12 7v6'],
  people: [
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M2 21a7 7 0 0 1 14 0', 'M16 3.5a4 4 0 0 1 0 7.5',
    'M22 21a7 7 0 0 0-4.5-6.5',
  ],
  leave: [
    'M2.5 14.2c5.3-5 13.7-5 19 0 .6.6.6 1.5 0 2.1l-1.8 1.8c-.5.5-1.3.6-1.9.2l-2.3-1.6c-.4-.3-.6-.7'
    + '-.6-1.2v-2c-2.5-.8-5.3-.8-7.8 0v2c0 .5-.2.9-.6 1.2l-2.3 1.6c-.6.4-1.4.3-1.9-.2l-1.8-1.8c-.6-.6'
    + '-.6-1.5 0-2.1z',
  ],
  power: ['M12 3v9', 'M6.3 6.3a8 8 0 1 0 11.4 0'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.5'],
  check: ['M5 12.5l4.5 4.5L19 7'],
};

/** An inline SVG icon (decorative: the button or label next to it carries the text). */
export function icon(name, className = 'rg-icon') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** "Ada Lovelace" → "AL"; used for the avatar when a peer shows no video. */
function initials(name) {
  const words = String(name || '?').trim().split(/\s+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0].toUpperCase()).join('') || '?';
}

/** A stable hue per name, so an avatar keeps its colour across tiles and rejoins. */
function hueOf(text) {
  let hash = 0;
  for (const ch of String(text)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}

/** Avatar circle with initials; the colour is set through the CSSOM (allowed by the CSP). */
export function avatar(name, className = 'rg-avatar') {
  const el = h('span', { class: className, 'aria-hidden': 'true', text: initials(name) });
  el.style.setProperty('--hue', String(hueOf(name)));
  return el;
}

/** Plays a media element, reporting autoplay refusals instead of leaving a rejected promise. */
export function play(video, onBlocked) {
  const p = video.play();
  if (p) {
    p.catch((e) => {
      if (e.name === 'NotAllowedError' && onBlocked) onBlocked(video);
    });
  }
}
