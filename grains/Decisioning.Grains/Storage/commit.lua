#!lua
-- The commits of one or more lines, each checked and applied on its own (RedisLineStore builds
-- the arguments; CommitWriter sends many lines in one call).
-- ARGV[1]: request record ttl (s); ARGV[2]: number of lines. Then per line a header of entry count
-- e, request count r, attachment count d, retention (the seconds an enterprise without a line
-- keeps its records, -1 when this commit opens its line, 0 otherwise), the sequence the commit
-- builds on, the enterprise id (empty: publish no events), the line's product number after the
-- commit, the number x of referral index writes and the commit's events (an EventBatchRecord of
-- its entries); then e pairs of (stream id, entry), the first being that sequence + 1; the state
-- after the commit and its history (empty: the state holds it or names an earlier entry's), both
-- stored beside its last entry; r request records; d attachments; x (field, value) pairs of the
-- referral index.
-- KEYS per line: journal stream, unlined documents set, the enterprise's event stream (its
-- partition's, in the same slot), the referral index hash and its expiry sorted set (its
-- partition's, in the same slot), r request keys, d attachment keys.
-- The referral index (ReviewService.ListReferrals) is written by the same script: a referral is
-- listed exactly when the decision that opened it, or the review that changed it, is stored. An
-- enterprise without a line keeps its referrals as long as its other records (the retention), so
-- each of its index fields is scored in the expiry set with that instant; the index writes of
-- every commit drop a few fields whose instant has passed.
-- The entries written to the journal are also added to the event stream, in the same script, as
-- one stream entry for the commit: an event exists exactly when its entry does, in journal order
-- (docs/events.md); a hot line's commit of many entries costs one XADD, not one an entry.
-- Each line answers OK, STALE and the stored sequence, DUP and the (index, record) pairs of the
-- request ids used before, or FAILED and why; only OK wrote anything. Whatever can fail is checked
-- before the line's first write, so that a line is written whole or not at all, and one line's
-- failure does not fail the others of the call.
local ttl = ARGV[1]
local k, a = 1, 3
local results = {}
for l = 1, tonumber(ARGV[2]) do
  local journalKey, unlinedKey, eventsKey, referralsKey, expiryKey = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local entries, requests, attachments = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local retention, builtOn = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  local enterprise, product, indexed, events = ARGV[a + 5], ARGV[a + 6], tonumber(ARGV[a + 7]), ARGV[a + 8]
  local firstRequest, firstEntry = k + 5, a + 9
  local state = firstEntry + 2 * entries
  local firstAttachment, firstRecord = firstRequest + requests, state + 2
  local firstDocument = firstRecord + requests
  local firstIndexed = firstDocument + attachments
  k = firstAttachment + attachments
  a = firstIndexed + 2 * indexed
  local result
  local claimed = {}
  -- The exact fence: the journal holds entries 1..n and is never trimmed, so its length is the
  -- stored sequence. The commit applies only on the very sequence it builds on: a journal ahead
  -- (another writer) or behind (storage lost acknowledged writes) refuses it, and nothing is written.
  local stored = redis.pcall('XLEN', journalKey)
  if type(stored) ~= 'number' then
    result = {'FAILED', stored.err}
  elseif stored ~= builtOn then
    result = {'STALE', tostring(stored)}
  elseif retention ~= 0 and not ({none = true, set = true})[redis.call('TYPE', unlinedKey).ok] then
    result = {'FAILED', 'the unlined documents key is not a set'}
  elseif indexed > 0 and not ({none = true, hash = true})[redis.call('TYPE', referralsKey).ok] then
    result = {'FAILED', 'the referral index key is not a hash'}
  elseif indexed > 0 and not ({none = true, zset = true})[redis.call('TYPE', expiryKey).ok] then
    result = {'FAILED', 'the referral expiry key is not a sorted set'}
  else
    -- Request ids: SET NX both checks and claims each one.
    for r = 0, requests - 1 do
      if redis.call('SET', KEYS[firstRequest + r], ARGV[firstRecord + r], 'NX', 'EX', ttl) then
        claimed[#claimed + 1] = KEYS[firstRequest + r]
      else
        local first = redis.pcall('GET', KEYS[firstRequest + r])
        if type(first) ~= 'string' then
          result = {'FAILED', type(first) == 'table' and first.err or 'a request record vanished'}
          break
        end
        result = result or {'DUP'}
        result[#result + 1] = tostring(r)
        result[#result + 1] = first
      end
    end
  end
  -- The events, then the first entry, are the writes that could fail (a key of another type, an
  -- id not above the stream's top): each is tried before anything else of the line is written,
  -- and a failure takes back what was written before it. The event stream's type is found this way
  -- rather than by a TYPE per line (2.5 µs of Redis each, measured: most lines of a call publish to a different partition).
  local published
  if not result and enterprise ~= '' then
    published = redis.pcall('XADD', eventsKey, '*', 'n', enterprise, 'p', product, 'b', events)
    if type(published) == 'table' and published.err then
      result = {'FAILED', 'the event stream: ' .. published.err}
      published = nil
    end
  end
  -- The fields of the commit's last entry after its own: the state, and the history it changed.
  local last = ARGV[state + 1] == '' and {'s', ARGV[state]} or {'s', ARGV[state], 'h', ARGV[state + 1]}
  if not result then
    -- The fence held, so no entry at or above the first new id exists; checked all the same.
    local added
    if entries == 1 then
      added = redis.pcall('XADD', journalKey, ARGV[firstEntry], 'e', ARGV[firstEntry + 1], unpack(last))
    else
      added = redis.pcall('XADD', journalKey, ARGV[firstEntry], 'e', ARGV[firstEntry + 1])
    end
    if type(added) == 'table' and added.err then
      result = {'FAILED', added.err}
      if published then redis.call('XDEL', eventsKey, published) end
    end
  end
  if not result then
    -- Nothing below can fail: stream ids rising from a fresh one, SET and EXPIRE on any key, and
    -- the set's type checked above.
    for i = 1, entries - 1 do
      if i == entries - 1 then
        redis.call('XADD', journalKey, ARGV[firstEntry + 2 * i], 'e', ARGV[firstEntry + 2 * i + 1], unpack(last))
      else
        redis.call('XADD', journalKey, ARGV[firstEntry + 2 * i], 'e', ARGV[firstEntry + 2 * i + 1])
      end
    end
    for d = 0, attachments - 1 do
      redis.call('SET', KEYS[firstAttachment + d], ARGV[firstDocument + d])
    end
    if indexed > 0 then
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      for x = 0, indexed - 1 do
        local field = ARGV[firstIndexed + 2 * x]
        redis.call('HSET', referralsKey, field, ARGV[firstIndexed + 2 * x + 1])
        if retention > 0 then
          redis.call('ZADD', expiryKey, now + retention * 1000, field)
        else
          redis.call('ZREM', expiryKey, field)
        end
      end
      for _, field in ipairs(redis.call('ZRANGEBYSCORE', expiryKey, '-inf', now, 'LIMIT', 0, 16)) do
        redis.call('HDEL', referralsKey, field)
        redis.call('ZREM', expiryKey, field)
      end
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
  else
    -- Nothing of this line was written: the request ids it claimed are free again.
    for _, key in ipairs(claimed) do redis.call('DEL', key) end
  end
  results[l] = result
end
return results
