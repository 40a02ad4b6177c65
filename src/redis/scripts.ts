/*
 * The Lua scripts behind the Redis session. Redis runs each one atomically, so a read and the write that
 * depends on it cannot interleave with another process's. Arguments are never echoed into error replies.
 *
 * The stored value is JSON: `{ accessToken, expiresAt, ms }`, where `ms` is `expiresAt` in milliseconds
 * since the epoch (so a script can compare expiries without parsing dates), or absent when unreadable.
 */

/** `held` is the accessToken of the stored value, or '' when there is none or it is not a token. */
const HELD = `
local current = redis.call('GET', KEYS[1])
local held, heldMs = '', nil
if current then
  local ok, value = pcall(cjson.decode, current)
  if ok and type(value) == 'table' and type(value.accessToken) == 'string' then
    held = value.accessToken
    if type(value.ms) == 'number' then heldMs = value.ms end
  end
end
`;

/** Stores ARGV[1] with its expiry at ARGV[2] (ms; '' for none), or deletes the key when ARGV[1] is ''. */
const WRITE = `
local function write(value, expireAt)
  if value == '' then
    redis.call('DEL', KEYS[1])
    return false
  end
  redis.call('SET', KEYS[1], value)
  if expireAt ~= '' then redis.call('PEXPIREAT', KEYS[1], expireAt) end
  return value
end
`;

/**
 * Compare-and-set. KEYS[1]: the token key. ARGV[1]: the expected accessToken ('' for none), ARGV[2]: the
 * next value ('' to clear), ARGV[3]: when the key expires (ms, or ''). Returns `{ 1 | 0, value now held }`.
 */
export const COMPARE_AND_SET = `${HELD}${WRITE}
if held ~= ARGV[1] then return { 0, current or false } end
return { 1, write(ARGV[2], ARGV[3]) }
`;

/**
 * A forward-only set: writes ARGV[1] (expiring at ARGV[3]) unless the stored token expires strictly later
 * than ARGV[2] (ms). Returns `{ 1 | 0, value now held }`.
 */
export const SET_FORWARD = `${HELD}${WRITE}
if heldMs ~= nil and heldMs > tonumber(ARGV[2]) then return { 0, current } end
return { 1, write(ARGV[1], ARGV[3]) }
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
