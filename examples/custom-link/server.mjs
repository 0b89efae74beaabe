/**
 * A customer's own call page on its own URL pattern, next to roomgate: serves /call/<code>
 * (the page reads the code from its path), its two static files, and /config.json telling the
 * page where roomgate is. No dependencies; Node ≥ 18.
 *
 *   ROOMGATE_URL=http://127.0.0.1:8080 node examples/custom-link/server.mjs
 *   PORT=3000 ROOMGATE_URL=https://rooms.example.com node examples/custom-link/server.mjs
 *
 * Binds 127.0.0.1 only (put a TLS proxy in front for anything else); PORT defaults to 0, an
 * ephemeral port, and the server prints its URL.
 */

import { readFile } from 'node:fs/promises';
import http from 'node:http';

const roomgate = new URL(process.env.ROOMGATE_URL ?? 'http://127.0.0.1:8080');
const roomgateBase = roomgate.href.replace(/\/+$/, ''); // keeps a path prefix, if roomgate has one
const roomgateOrigin = roomgate.origin;
const signalOrigin = roomgateOrigin.replace(/^http/, 'ws');
const publicDir = new URL('./public/', import.meta.url);

// The page's own policy: scripts only from here and from roomgate (the SDK module), network
// only to here and to roomgate (token endpoint, signalling). Nothing inline.
const CSP = [
  "default-src 'self'",
  `script-src 'self' ${roomgateOrigin}`,
  `connect-src 'self' ${roomgateOrigin} ${signalOrigin}`,
  "style-src 'self'",
  "media-src 'self' blob:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const FILES = {
  '/call.mjs': ['call.mjs', 'text/javascript; charset=utf-8'],
  '/call.css': ['call.css', 'text/css; charset=utf-8'],
};

const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  const send = (status, type, body) => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': CSP,
      // The room code in /call/<code> is a credential: never leak it in a Referer.
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
  try {
    if (/^\/call\/[A-Za-z0-9-]+\/?$/.test(pathname)) {
      return send(200, 'text/html; charset=utf-8', await readFile(new URL('index.html', publicDir)));
    }
    if (pathname === '/config.json') {
      return send(200, 'application/json', JSON.stringify({ roomgateUrl: roomgateBase }));
    }
    const file = FILES[pathname];
    if (file) return send(200, file[1], await readFile(new URL(file[0], publicDir)));
    return send(404, 'text/plain', 'not found: open /call/<room code>\n');
  } catch (e) {
    console.error(e);
    return send(500, 'text/plain', 'server error\n');
  }
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`custom-link example on http://127.0.0.1:${port}/call/<room code>  (roomgate: ${roomgateBase})`);
});
