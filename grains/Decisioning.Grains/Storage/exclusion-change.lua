-- One change of the exclusion list, atomically: the entries (a hash, plus a sorted set of ids
-- for paging in id order), the journal (an append-only stream) and the request record that
-- makes the change idempotent. A refusal is remembered too, so that a retry hears the same answer.
-- KEYS: 1 entries, 2 index, 3 journal, 4 request record
-- ARGV: 1 kind ('added' or 'removed'), 2 enterprise id, 3 request fingerprint (hex),
--       4 the new entry as JSON (an addition), 5 reason, 6 actor, 7 time (unix ms),
--       8 request id, 9 request-id retention (seconds)
-- Returns {outcome, change id, entry JSON}; outcome: ok, reused, already, absent.
local prior = redis.call('GET', KEYS[4])
if prior then
  local fingerprint, outcome, id, entry = string.match(prior, '^(%x+)\n(%a+)\n([^\n]*)\n(.*)$')
  if fingerprint ~= ARGV[3] then
    return {'reused', '', ''}
  end
  return {outcome, id, entry}
end

local function remember(outcome, id, entry)
  redis.call('SET', KEYS[4], ARGV[3] .. '\n' .. outcome .. '\n' .. id .. '\n' .. entry, 'EX', ARGV[9])
  return {outcome, id, entry}
end

local current = redis.call('HGET', KEYS[1], ARGV[2])
local entry
if ARGV[1] == 'added' then
  if current then
    return remember('already', '', '')
  end
  entry = ARGV[4]
  redis.call('HSET', KEYS[1], ARGV[2], entry)
  redis.call('ZADD', KEYS[2], 0, ARGV[2])
else
  if not current then
    return remember('absent', '', '')
  end
  entry = current
  redis.call('HDEL', KEYS[1], ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[2])
end

local id = redis.call('XADD', KEYS[3], '*',
  'kind', ARGV[1], 'enterprise_id', ARGV[2], 'reason', ARGV[5], 'actor', ARGV[6], 'at_ms', ARGV[7], 'request_id', ARGV[8])
return remember('ok', id, entry)
