-- One Draw, the way a team without Decisioning writes it: one script, so that nothing interleaves.
-- The request id first (a retry gets the first answer), then the limit and what is drawn compared,
-- drawn increased, the answer remembered for the request-id retention, and, with the journal, one
-- entry appended. Declines are answered, remembered and journaled like approvals.
-- KEYS: the line (hash), the request id's record (string), the journal (stream).
-- ARGV: amount, request-id TTL (s), journal ('1' or '0'), request id, actor, time (ms since the epoch).
-- Returns {'DUP', record} for a request id already answered, {'NO_LINE'} without an open line, else
-- {'OK', record}; a record is 'amount approved drawn sequence limit' (approved: 1 or 0).
-- Amounts are at most 10^11 fen, so Lua's numbers (doubles) hold every sum exactly.
local record = redis.call('GET', KEYS[2])
if record then
  return {'DUP', record}
end
local line = redis.call('HMGET', KEYS[1], 'status', 'limit', 'drawn', 'sequence')
if line[1] ~= 'active' then
  return {'NO_LINE'}
end
local amount, limit, drawn = tonumber(ARGV[1]), tonumber(line[2]), tonumber(line[3])
local sequence = string.format('%d', tonumber(line[4]) + 1)
local approved = amount <= limit - drawn
if approved then
  drawn = drawn + amount
end
drawn = string.format('%d', drawn)
redis.call('HSET', KEYS[1], 'drawn', drawn, 'sequence', sequence)
record = ARGV[1] .. ' ' .. (approved and '1' or '0') .. ' ' .. drawn .. ' ' .. sequence .. ' ' .. line[2]
redis.call('SET', KEYS[2], record, 'EX', ARGV[2])
if ARGV[3] == '1' then
  redis.call('XADD', KEYS[3], sequence .. '-0', 'type', approved and 'DRAW' or 'DRAW_DECLINED',
    'request', ARGV[4], 'amount', ARGV[1], 'drawn', drawn, 'actor', ARGV[5], 'time', ARGV[6])
end
return {'OK', record}
