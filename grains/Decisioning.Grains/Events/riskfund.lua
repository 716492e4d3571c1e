#!lua
-- Applies a batch of one partition's events to the risk funds, exactly once (RiskFundProjector
-- builds the arguments). KEYS[1]: the funds' state hash (the partitions' positions, the funds'
-- totals and their revision); KEYS[2]: what is remembered of each enterprise; KEYS[3]: the claims;
-- KEYS[4]: the claims' index (a sorted set of the same names, all at score 0, read in lex order).
-- ARGV[1]: the partition's position field; ARGV[2]: the position the batch builds on (empty: none);
-- ARGV[3]: the id of the batch's last event; ARGV[4]: the funds' revision the totals were read at,
-- or '-' when the batch moves no total; ARGV[5]: the number t of total changes; ARGV[6]: the
-- number c of claims written; then t pairs (field, delta), c pairs (name, claim), and pairs
-- (enterprise, remembered state).
-- Answers 1, or 0 when the partition is not at ARGV[2] or the totals moved since they were read
-- (another projector applied a batch first): nothing is written then.
if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[2] then
  return 0
end
if ARGV[4] ~= '-' then
  -- The balance is shared by every partition: claims computed from totals another batch has
  -- moved since would spend what is no longer there.
  if (redis.call('HGET', KEYS[1], 'rev') or '0') ~= ARGV[4] then
    return 0
  end
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
end
local totals, claims = tonumber(ARGV[5]), tonumber(ARGV[6])
local i = 7
for _ = 1, totals do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
for _ = 1, claims do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[4], 0, ARGV[i])
  i = i + 2
end
while i < #ARGV do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
