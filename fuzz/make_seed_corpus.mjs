// Writes the seed corpus of fuzz/token_verify_fuzz.cc into
// fuzz/corpus/token_verify/: tokens signed with the fuzz target's key (valid,
// expired, wrong alg, crit, nested and escaped claims, ...), malformed shapes,
// and bare JSON for the parser. Deterministic, so re-running it changes
// nothing unless this file changed. Files it does not name (e.g. crash inputs
// added by hand) are left alone.
//
//   node fuzz/make_seed_corpus.mjs
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Must match kAccessKey / kSecret / kNow in token_verify_fuzz.cc.
const ACCESS_KEY = 'fuzzkey';
const SECRET = 'fuzz-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const NOW = 1800000000;
const INT64_MIN = '-9223372036854775808';

const outDir = join(dirname(fileURLToPath(import.meta.url)), 'corpus', 'token_verify');

const b64 = (text) => Buffer.from(text, 'utf8').toString('base64url');
const b64bytes = (bytes) => Buffer.from(bytes).toString('base64url');

// Header and payload are JSON text (or raw bytes), signed exactly as given.
function token(header, payload, secret = SECRET) {
  const enc = (part) => (typeof part === 'string' ? b64(part) : b64bytes(part));
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const HS256 = '{"alg":"HS256","typ":"JWT"}';
const app = (extra = '', base = {}) => {
  const claims = {
    access_key: ACCESS_KEY,
    room_id: 'room-1',
    user_id: 'alice',
    role: 'host',
    type: 'app',
    version: 2,
    iat: NOW,
    nbf: NOW,
    exp: NOW + 86400,
    jti: '3b241101-e2bb-4255-8caf-4136c566a962',
    ...base,
  };
  const json = JSON.stringify(claims);
  return extra ? `${json.slice(0, -1)},${extra}}` : json;
};
const management = (base = {}) =>
  JSON.stringify({
    access_key: ACCESS_KEY,
    type: 'management',
    version: 2,
    iat: NOW,
    nbf: NOW,
    exp: NOW + 3600,
    jti: 'm-1',
    ...base,
  });

// `json` with `marker` replaced by raw bytes (for invalid UTF-8).
const withBytes = (json, marker, bytes) => {
  const [before, after] = json.split(marker);
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
};
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const deep = (n) => '['.repeat(n) + '1' + ']'.repeat(n);
const valid = token(HS256, app());
const [h, p, s] = valid.split('.');

const seeds = {
  // Accepted tokens.
  valid_app: valid,
  valid_app_without_user: token(HS256, app('', { user_id: undefined })),
  valid_app_empty_user: token(HS256, app('', { user_id: '' })),
  valid_management: token(HS256, management()),
  valid_header_without_typ: token('{"alg":"HS256"}', app()),
  valid_typ_lowercase: token('{"typ":"jwt","alg":"HS256","kid":"k1"}', app()),
  valid_unknown_claims: token(HS256, app('"app_data":{"a":[1,2.5e3,null,true]},"sub":"api"')),
  valid_nested_claims: token(HS256, app(`"x":${deep(32)},"y":{"a":{"b":{"c":[{}]}}}`)),
  valid_escaped_claims: token(
    HS256,
    app('', { room_id: 'r\u00e9\u20ac\ud83d\ude00/"\\\n\t', role: 'ho\u0000st' }).replace(
      '"user_id":"alice"',
      '"user_id":"\\u0061l\\u0069ce\\ud83d\\ude00\\/"',
    ),
  ),
  valid_escaped_claim_names: token(HS256, app().replace('"exp":', '"\\u0065xp":')),
  valid_whitespace_json: token(' { "alg" : "HS256" } ', app().replaceAll(',', ' ,\n\t')),
  // Signed, but refused by policy.
  expired: token(HS256, app('', { exp: NOW - 1 })),
  not_yet_valid: token(HS256, app('', { nbf: NOW + 3600 })),
  issued_in_future: token(HS256, app('', { iat: NOW + 3600 })),
  no_exp: token(HS256, app('', { exp: undefined })),
  exp_fraction: token(HS256, app('', { exp: NOW + 0.5 })),
  exp_huge: token(HS256, app().replace(`"exp":${NOW + 86400}`, '"exp":99999999999999999999')),
  exp_int64_max: token(HS256, app().replace(`"exp":${NOW + 86400}`, '"exp":9223372036854775807')),
  // Regression (UBSan): `now - exp` overflowed int64 in the "expired" message.
  exp_int64_min: token(HS256, app().replace(`"exp":${NOW + 86400}`, `"exp":${INT64_MIN}`)),
  exp_int64_min_payload: app().replace(`"exp":${NOW + 86400}`, `"exp":${INT64_MIN}`),
  version_1: token(HS256, app('', { version: 1 })),
  wrong_type: token(HS256, app('', { type: 'admin' })),
  management_as_app_claims: token(HS256, management({ room_id: 'r', role: 'host' })),
  duplicate_exp: token(HS256, app(`"exp":${NOW + 999999}`)),
  claim_wrong_kind: token(HS256, app('', { room_id: 12, role: ['host'] })),
  unknown_access_key: token(HS256, app('', { access_key: 'other' })),
  wrong_secret: token(HS256, app(), 'another-secret-0123456789abcdefghijklmnopqrstu'),
  alg_hs512: token('{"alg":"HS512","typ":"JWT"}', app()),
  alg_none: `${b64('{"alg":"none","typ":"JWT"}')}.${p}.`,
  alg_none_signed: token('{"alg":"none"}', app()),
  alg_missing: token('{"typ":"JWT"}', app()),
  crit: token('{"alg":"HS256","crit":["exp"],"exp":1}', app()),
  invalid_utf8_claim: token(HS256, withBytes(app('', { role: 'XX' }), 'XX', [0xc0, 0x80])),
  encoded_surrogate_claim: token(HS256, withBytes(app('', { role: 'XX' }), 'XX', [0xed, 0xa0, 0x80])),
  lone_surrogate_claim: token(HS256, app().replace('"host"', '"\\ud800"')),
  too_deep_claim: token(HS256, app(`"x":${deep(33)}`)),
  payload_not_object: token(HS256, '["not","an","object"]'),
  // Broken shapes.
  two_segments: `${h}.${p}`,
  four_segments: `${valid}.${s}`,
  empty_signature: `${h}.${p}.`,
  padded_signature: `${valid}=`,
  standard_alphabet: valid.replaceAll('-', '+').replaceAll('_', '/'),
  // The same MAC bytes with one of the signature's two unused bits set.
  non_canonical_signature: `${h}.${p}.${s.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(s.at(-1)) + 1]}`,
  whitespace_inside: `${h}.${p.slice(0, 10)} ${p.slice(10)}.${s}`,
  empty: '',
  dots: '..',
  // Bare inputs for the JSON parser and base64url decoder.
  json_object: '{"a":[1,{"b":"\\u00e9\\ud83d\\ude00"}],"n":-9223372036854775808,"f":1.5e-3}',
  json_invalid: '{"a":01,"b":"\\x"}',
  base64url_text: b64('any carnal pleasure.'),
};

mkdirSync(outDir, { recursive: true });
for (const [name, content] of Object.entries(seeds)) {
  writeFileSync(join(outDir, name), content);
}
console.log(`wrote ${Object.keys(seeds).length} seeds to ${outDir}`);
