/*
 * The Lua scripts behind the Redis session. Redis runs each one atomically, so a read and the write that
 * depends on it cannot interleave with another process's command. Arguments are never echoed into replies.
 *
 * The stored value is JSON: a token `{ accessToken, expiresAt, ms }` (`ms` is `expiresAt` in milliseconds since
 * the epoch, informative), or a sign-out mark `{ signedOut: true }`. A missing key is nothing stored. Anything
 * else at the key (another Redis type, a string that is neither) belongs to someone else and is never written
 * over: the scripts answer what it is, and the store reports a configuration error.
 */

/**
 * `record()` classifies KEYS[1]: `'none'`, `'mark', raw`, `'token', raw, accessToken, expiresAt`,
 * `'wrongtype', <Redis type>` or `'foreign', 'string'`. The same shapes as `isToken`/`isSignedOutMark` in JS.
 */
const RECORD = `
local function record()
  local kind = redis.call('TYPE', KEYS[1])['ok']
  if kind == 'none' then return 'none' end
  if kind ~= 'string' then return 'wrongtype', kind end
  local raw = redis.call('GET', KEYS[1])
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' then
    if value.signedOut == true then return 'mark', raw end
    if type(value.accessToken) == 'string' and value.accessToken ~= '' and type(value.expiresAt) == 'string' then
      return 'token', raw, value.accessToken, value.expiresAt
    end
  end
  return 'foreign', 'string'
end
`;

/**
 * Writes a record, compared first on the WHOLE record when asked to. KEYS[1]: the token key.
 *
 * ARGV[1]: what the key must hold for the write to happen: `'any'` (the app's sign-in and sign-out: anything of
 * ours), `'none'`, `'mark'` or `'token'`; ARGV[2], ARGV[3]: the expected token's accessToken and expiresAt (both
 * must match). ARGV[4]: the value to write. ARGV[5]: `'token'` or `'mark'`. ARGV[6]: for a token, when the key
 * expires (ms since the epoch, or '' for a fallback life of ARGV[7] ms); for a mark, ''. ARGV[7]: how long a
 * mark lives at least (ms); a mark written over a key that would live longer keeps that longer life.
 *
 * Returns `{ 'wrote' }`, `{ 'refused', value held or false }`, `{ 'wrongtype', type }` or `{ 'foreign', 'string' }`.
 */
export const WRITE_RECORD = `${RECORD}
local kind, raw, accessToken, expiresAt = record()
if kind == 'wrongtype' or kind == 'foreign' then return { kind, raw } end
local expected = ARGV[1]
if expected ~= 'any' then
  local same = kind == expected
  if same and kind == 'token' then same = accessToken == ARGV[2] and expiresAt == ARGV[3] end
  if not same then return { 'refused', raw or false } end
end
local keep = tonumber(ARGV[7])
if ARGV[5] == 'mark' or ARGV[6] == '' then
  local left = redis.call('PTTL', KEYS[1])
  if ARGV[5] == 'mark' and left > keep then keep = left end
  redis.call('SET', KEYS[1], ARGV[4], 'PX', keep)
else
  redis.call('SET', KEYS[1], ARGV[4])
  redis.call('PEXPIREAT', KEYS[1], ARGV[6])
end
return { 'wrote' }
`;

/** Deletes the lock KEYS[1] only if it still holds ARGV[1] (the holder's random id). Returns 1 or 0. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Extends the lock KEYS[1] to ARGV[2] ms only if it still holds ARGV[1]. Returns 1 or 0. */
export const EXTEND_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS[1]'s time to live in ms: -1 when it has none, -2 when it is gone (Redis's `PTTL`). */
export const LOCK_TIME_TO_LIVE = `return redis.call('PTTL', KEYS[1])`;
