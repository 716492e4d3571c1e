-- One change of an enterprise's consents, atomically: the consents (a hash by consent id), their
-- revocations (a hash by consent id), the journal (an append-only stream naming the actor) and
-- the request record that makes the change idempotent. A refusal is remembered too, so that a
-- retry hears the same answer.
-- KEYS: 1 consents, 2 revocations, 3 journal, 4 request record
-- ARGV: 1 kind ('recorded' or 'revoked'), 2 consent id, 3 request fingerprint (hex),
--       4 the consent (recorded) or the revocation (revoked) as JSON, 5 actor, 6 time (unix ms),
--       7 request id, 8 request-id retention (seconds), 9 most consents kept
-- Returns {outcome, change id, consent JSON, revocation JSON}; outcome: ok, reused, absent, revoked, full.
local function answer(outcome, id)
  local consent = redis.call('HGET', KEYS[1], ARGV[2]) or ''
  local revocation = redis.call('HGET', KEYS[2], ARGV[2]) or ''
  return {outcome, id, consent, revocation}
end

local prior = redis.call('GET', KEYS[4])
if prior then
  local fingerprint, outcome, id = string.match(prior, '^(%x+)\n(%a+)\n(.*)$')
  if fingerprint ~= ARGV[3] then
    return {'reused', '', '', ''}
  end
  return answer(outcome, id)
end

local function remember(outcome, id)
  redis.call('SET', KEYS[4], ARGV[3] .. '\n' .. outcome .. '\n' .. id, 'EX', ARGV[8])
  return answer(outcome, id)
end

if ARGV[1] == 'recorded' then
  -- The same request after its record expired: the consent id follows from it, so it stands as it is.
  if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
    return remember('ok', '')
  end
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[9]) then
    return remember('full', '')
  end
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[4])
else
  if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then
    return remember('absent', '')
  end
  if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[4]) == 0 then
    return remember('revoked', '')
  end
end

local id = redis.call('XADD', KEYS[3], '*',
  'kind', ARGV[1], 'consent_id', ARGV[2], 'actor', ARGV[5], 'at_ms', ARGV[6], 'request_id', ARGV[7], 'record', ARGV[4])
return remember('ok', id)
