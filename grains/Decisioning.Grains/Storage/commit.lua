#!lua
-- ARGV[1]: request record ttl (s); ARGV[2]: number of lines. Then per line, a header of
-- new sequence, state, entry count e, request count r, attachment count d, unlined ttl (s, 0
-- when the state is a line); e pairs of (stream id, entry), the first being the sequence after
-- the one the writer expects; r request records; d attachments.
-- KEYS per line: line hash, journal stream, unlined documents set, r request keys, d attachment keys.
local ttl = ARGV[1]
local k, a = 1, 3
local results = {}
for l = 1, tonumber(ARGV[2]) do
  local lineKey, journalKey, unlinedKey = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  local sequence, state = ARGV[a], ARGV[a + 1]
  local entries, requests, attachments = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local unlinedTtl = tonumber(ARGV[a + 5])
  local firstRequest, firstEntry = k + 3, a + 6
  local firstAttachment = firstRequest + requests
  local firstRecord = firstEntry + 2 * entries
  local firstDocument = firstRecord + requests
  k = firstAttachment + attachments
  a = firstDocument + attachments
  -- Request ids first: SET NX both checks and claims each one.
  local claimed, result = {}, {'DUP'}
  for r = 0, requests - 1 do
    local key = KEYS[firstRequest + r]
    if redis.call('SET', key, ARGV[firstRecord + r], 'NX', 'EX', ttl) then
      claimed[#claimed + 1] = key
    else
      result[#result + 1] = tostring(r)
      result[#result + 1] = redis.call('GET', key)
    end
  end
  if #result == 1 then
    -- Fencing: journal stream ids are sequences, so the first new entry is refused when the
    -- journal has moved past the sequence this writer's state is at.
    local added = redis.pcall('XADD', journalKey, ARGV[firstEntry], 'e', ARGV[firstEntry + 1])
    if type(added) == 'table' and added.err then
      if not string.find(added.err, 'equal or smaller', 1, true) then
        for _, key in ipairs(claimed) do redis.call('DEL', key) end
        return redis.error_reply(added.err)
      end
      result = {'STALE', redis.call('HGET', lineKey, 'v') or '0'}
    else
      for i = 1, entries - 1 do
        redis.call('XADD', journalKey, ARGV[firstEntry + 2 * i], 'e', ARGV[firstEntry + 2 * i + 1])
      end
      for d = 0, attachments - 1 do
        redis.call('SET', KEYS[firstAttachment + d], ARGV[firstDocument + d])
      end
      redis.call('HSET', lineKey, 'v', sequence, 's', state)
      if unlinedTtl > 0 then
        -- No line refers to what an enterprise without one leaves (its decisions): it all goes
        -- after the retention, each document counted from its own decision.
        for d = 0, attachments - 1 do
          redis.call('EXPIRE', KEYS[firstAttachment + d], unlinedTtl)
          redis.call('SADD', unlinedKey, KEYS[firstAttachment + d])
        end
        redis.call('EXPIRE', unlinedKey, unlinedTtl)
        redis.call('EXPIRE', journalKey, unlinedTtl)
        redis.call('EXPIRE', lineKey, unlinedTtl)
      elseif redis.call('PERSIST', lineKey) == 1 then
        -- A line opened where decisions were recorded before it: its journal refers to them, so
        -- they stay as long as the line. The set names keys of this enterprise only, under the
        -- same hash tag, so they live in this slot.
        redis.call('PERSIST', journalKey)
        for _, key in ipairs(redis.call('SMEMBERS', unlinedKey)) do redis.call('PERSIST', key) end
        redis.call('DEL', unlinedKey)
      end
      result = {'OK'}
    end
  end
  if result[1] ~= 'OK' then
    for _, key in ipairs(claimed) do redis.call('DEL', key) end
  end
  results[l] = result
end
return results
