#!lua
-- A line's lease of one re-lending quota period (RedisRelendingQuota builds the arguments; the
-- rule is QuotaBook.Lease in the domain, which the tests check against this script's results).
-- KEYS[1]: the period's hash: 'used' (what lines hold: leases and funded principal), per line
-- 'h:<line>' (what the quota counts as the line's) and 'v:<line>' (the lease version it last saw),
-- per month 'm:<yyyy-MM>' (the change of 'used' in that month).
-- ARGV: line, the version the line has recorded, what it holds at that version, what it asks for,
-- the period's amount, the month (yyyy-MM).
-- Answers {'STALE', version} (nothing written) or {'OK', granted, version after}.
local key, line = KEYS[1], ARGV[1]
local version, holding, want = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local configured, month = tonumber(ARGV[5]), ARGV[6]
local known = tonumber(redis.call('HGET', key, 'v:' .. line) or '0')
if version < known then
  return {'STALE', string.format('%d', known)}
end
local held = tonumber(redis.call('HGET', key, 'h:' .. line) or '0')
local used = tonumber(redis.call('HGET', key, 'used') or '0') - held + holding
local granted = math.min(want, math.max(0, configured - used))
local after = version
if granted > 0 then
  after = version + 1
end
-- Integers well below 2^53 throughout (the largest quota is 10^13 fen): exact as Lua numbers.
redis.call('HSET', key, 'used', string.format('%d', used + granted),
  'h:' .. line, string.format('%d', holding + granted), 'v:' .. line, string.format('%d', after))
local change = holding + granted - held
if change ~= 0 then
  redis.call('HINCRBY', key, 'm:' .. month, string.format('%d', change))
end
return {'OK', string.format('%d', granted), string.format('%d', after)}
