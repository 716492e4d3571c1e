#!lua
-- Applies a batch of events to one partition's portfolio, exactly once (PortfolioProjector builds
-- the arguments). KEYS[1]: the partition's portfolio hash; KEYS[2]: its event stream.
-- ARGV[1]: the position the batch builds on (the stream id of the last event applied, or empty);
-- ARGV[2]: the id of the batch's last event; ARGV[3]: the number c of figure changes; then c pairs
-- (field, delta); then pairs (field, value) of the enterprises' remembered state.
-- Answers 1, or 0 when the hash is not at ARGV[1] (another projector applied the batch first):
-- nothing is written then.
local at = redis.call('HGET', KEYS[1], '@') or ''
if at ~= ARGV[1] then
  return 0
end
local changes = tonumber(ARGV[3])
for i = 0, changes - 1 do
  redis.call('HINCRBY', KEYS[1], ARGV[4 + 2 * i], ARGV[5 + 2 * i])
end
-- The enterprises' remembered states and the new position in one HSET: a command per batch, not
-- one per enterprise.
redis.call('HSET', KEYS[1], '@', ARGV[2], unpack(ARGV, 4 + 2 * changes))
-- The consumer group "portfolio" marks what is applied, so that retention keeps what is not.
redis.call('XGROUP', 'SETID', KEYS[2], 'portfolio', ARGV[2])
return 1
