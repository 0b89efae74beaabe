// Shared by the signalling benchmark's Node programs (bench/signalling/):
// the roles of roomgate's default template exactly as GET /v2/templates shows
// them (so the anchor's join reply carries a policy of the same size), and
// small helpers.

const perms = (over) => ({
  browserRecording: true, changeRole: false, endRoom: false, hlsStreaming: true, mute: false,
  pollRead: true, pollWrite: false, removeOthers: false, rtmpStreaming: true,
  sendRoomState: false, unmute: false, ...over,
});

export const DEFAULT_ROLES = {
  host: {
    maxPeerCount: 0, name: 'host',
    permissions: perms({ changeRole: true, endRoom: true, mute: true, removeOthers: true,
      unmute: true, pollWrite: true, sendRoomState: true }),
    priority: 1,
    publishParams: { allowed: ['audio', 'video', 'screen'] },
    subscribeParams: { subscribeToRoles: ['host', 'guest', 'viewer'] },
  },
  guest: {
    maxPeerCount: 0, name: 'guest', permissions: perms({}), priority: 2,
    publishParams: { allowed: ['audio', 'video', 'screen'] },
    subscribeParams: { subscribeToRoles: ['host', 'guest'] },
  },
  viewer: {
    maxPeerCount: 0, name: 'viewer',
    permissions: perms({ browserRecording: false, hlsStreaming: false, pollRead: false, rtmpStreaming: false }),
    priority: 3,
    publishParams: { allowed: [] },
    subscribeParams: { subscribeToRoles: ['host', 'guest'] },
  },
};

export function credentialsFromEnv(env = process.env) {
  const accessKey = env.ROOMGATE_ACCESS_KEY;
  const secret = env.ROOMGATE_SECRET;
  if (!accessKey || !secret) {
    console.error('missing environment: ROOMGATE_ACCESS_KEY and ROOMGATE_SECRET');
    process.exit(2);
  }
  return { accessKey, secret };
}
