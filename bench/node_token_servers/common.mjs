// Shared set-up of the Node token servers: the app credentials (the same
// environment variables roomgate reads) and the room code table, built from
//   BENCH_CODE     the room code (abc-defg-hij)
//   BENCH_ROOM_ID  the room it belongs to
//   BENCH_ROLE     the role it grants
// A Map stands in for the customer's database; a few decoy codes keep it from
// being a one-entry special case.
export function codesFromEnv(env = process.env) {
  const need = ['ROOMGATE_ACCESS_KEY', 'ROOMGATE_SECRET', 'BENCH_CODE', 'BENCH_ROOM_ID', 'BENCH_ROLE'];
  const missing = need.filter((k) => !env[k]);
  if (missing.length) {
    console.error(`missing environment: ${missing.join(', ')}`);
    process.exit(2);
  }
  const codes = new Map();
  codes.set(env.BENCH_CODE, { roomId: env.BENCH_ROOM_ID, role: env.BENCH_ROLE });
  for (let i = 0; i < 1000; i++) {
    codes.set(`decoy-${i}`, { roomId: env.BENCH_ROOM_ID, role: 'guest' });
  }
  return { accessKey: env.ROOMGATE_ACCESS_KEY, secret: env.ROOMGATE_SECRET, codes };
}
