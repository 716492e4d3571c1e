#!lua
-- The commits of one or more lines, each checked and applied on its own (RedisLineStore builds
-- the arguments; CommitWriter sends many lines in one call).
-- ARGV[1]: request record ttl (s); ARGV[2]: number of lines. Then per line a header of entry count
-- e, request count r, attachment count d and retention: the seconds an enterprise without a line
-- keeps its records, -1 when this commit opens its line, 0 otherwise; then e pairs of (stream id,
-- entry), the first being the sequence after the one the writer holds; the state after the commit,
-- stored beside its last entry; r request records; d attachments.
-- KEYS per line: journal stream, unlined documents set, r request keys, d attachment keys.
local ttl = ARGV[1]
local k, a = 1, 3
local results = {}
for l = 1, tonumber(ARGV[2]) do
  local journalKey, unlinedKey = KEYS[k], KEYS[k + 1]
  local entries, requests, attachments = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local retention = tonumber(ARGV[a + 3])
  local firstRequest, firstEntry = k + 2, a + 4
  local state = firstEntry + 2 * entries
  local firstAttachment, firstRecord = firstRequest + requests, state + 1
  local firstDocument = firstRecord + requests
  k = firstAttachment + attachments
  a = firstDocument + attachments
  -- Request ids first: SET NX both checks and claims each one.
  local duplicates
  for r = 0, requests - 1 do
    if not redis.call('SET', KEYS[firstRequest + r], ARGV[firstRecord + r], 'NX', 'EX', ttl) then
      duplicates = duplicates or {'DUP'}
      duplicates[#duplicates + 1] = tostring(r)
      duplicates[#duplicates + 1] = redis.call('GET', KEYS[firstRequest + r])
    end
  end
  local result = duplicates
  if not result then
    -- Fencing: journal stream ids are sequences, so the first new entry is refused when the
    -- journal has moved past the sequence this writer's state is at.
    local added
    if entries == 1 then
      added = redis.pcall('XADD', journalKey, ARGV[firstEntry], 'e', ARGV[firstEntry + 1], 's', ARGV[state])
    else
      added = redis.pcall('XADD', journalKey, ARGV[firstEntry], 'e', ARGV[firstEntry + 1])
    end
    if type(added) == 'table' and added.err then
      if not string.find(added.err, 'equal or smaller', 1, true) then
        for r = 0, requests - 1 do redis.call('DEL', KEYS[firstRequest + r]) end
        return redis.error_reply(added.err)
      end
      local newest = redis.call('XREVRANGE', journalKey, '+', '-', 'COUNT', 1)[1]
      result = {'STALE', newest and string.match(newest[1], '^%d+') or '0'}
    else
      for i = 1, entries - 1 do
        if i == entries - 1 then
          redis.call('XADD', journalKey, ARGV[firstEntry + 2 * i], 'e', ARGV[firstEntry + 2 * i + 1], 's', ARGV[state])
        else
          redis.call('XADD', journalKey, ARGV[firstEntry + 2 * i], 'e', ARGV[firstEntry + 2 * i + 1])
        end
      end
      for d = 0, attachments - 1 do
        redis.call('SET', KEYS[firstAttachment + d], ARGV[firstDocument + d])
      end
      if retention > 0 then
        -- No line refers to what an enterprise without one leaves (its decisions): it all goes
        -- after the retention, each document counted from its own decision.
        for d = 0, attachments - 1 do
          redis.call('EXPIRE', KEYS[firstAttachment + d], retention)
          redis.call('SADD', unlinedKey, KEYS[firstAttachment + d])
        end
        redis.call('EXPIRE', unlinedKey, retention)
        redis.call('EXPIRE', journalKey, retention)
      elseif retention < 0 then
        -- The line opens where decisions were recorded before it: its journal refers to them, so
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
    -- Nothing of this line was written: the request ids it claimed are free again.
    local used = {}
    for i = 2, #result - 1, 2 do used[tonumber(result[i])] = true end
    for r = 0, requests - 1 do
      if not used[r] then redis.call('DEL', KEYS[firstRequest + r]) end
    end
  end
  results[l] = result
end
return results
