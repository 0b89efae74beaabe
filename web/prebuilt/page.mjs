/**
 * Entry point of the page roomgate serves at /meeting/<code> and /preview/<code>: reads the link
 * (path and query, the 100ms Prebuilt vocabulary) and mounts the app into the whole page.
 *
 * Query: `name` pre-fills and locks the name field; `userId` becomes the token's user_id;
 * `auth_token` skips the token call; `skip_preview=true` joins at once (as `name` or "Guest").
 */

import { mountApp } from './app.mjs';

const [, mode = 'meeting', roomCode] = location.pathname.match(/^\/(meeting|preview)\/([A-Za-z0-9-]+)\/?$/) ?? [];
const query = new URLSearchParams(location.search);
const name = query.get('name')?.trim() || null;

document.title = `${mode === 'preview' ? 'Preview' : 'Meeting'} · roomgate`;
mountApp(document.body, {
  mode,
  roomCode,
  authToken: query.get('auth_token') || null,
  userId: query.get('userId') || null,
  name,
  nameLocked: Boolean(name),
  skipPreview: query.get('skip_preview') === 'true',
  onClient: (client) => {
    window.roomgate = { client };
  },
});
