-- Shared prelude of every Plimsoll script. The Java side prepends `local LEGAL = {...}`, generated
-- from dev.plimsoll.JobState, so every state change below is checked against the same table.
--
-- ARGV[1] key prefix, ARGV[2] finished TTL ms, ARGV[3] finished max count,
-- ARGV[4] dead TTL ms, ARGV[5] dead max count; script arguments start at ARGV[6].
--
-- Keys (all under the prefix; ids are the 16 raw bytes of the UUIDv7, so byte order = time order):
--   j:<id>            hash, the job record (TTL once finished)
--   i:<owner>/<key>   string -> id, idempotency key (same TTL as its record)
--   queues            set of queue names with pending jobs
--   pq:<queue>        zset (score 0, lexicographic = id order) of pending (SCHEDULED+QUEUED) ids
--   qt:<queue>        hash type -> pending count, so a claim knows which ready sets exist
--   r:<queue><type>   zset of QUEUED ids, score (9 - priority) * 1e13 + createdAt ms
--   sched             zset of SCHEDULED ids by run-at ms
--   run               zset of RUNNING ids by lease expiry ms
--   s:<STATE>         zset of SUCCEEDED / CANCELLED / DEAD ids, score 2 * finish ms + 1 if the job
--                     has an idempotency key (so eviction reads the record only then); TTL of the
--                     set >= that of its newest record
--   evicted           hash f|d -> finished / dead jobs evicted by the count bound since the last
--                     purge, which reports and deletes it (records expired by TTL are not counted)
local P = ARGV[1]
local FIN_TTL = tonumber(ARGV[2])
local FIN_MAX = tonumber(ARGV[3])
local DEAD_TTL = tonumber(ARGV[4])
local DEAD_MAX = tonumber(ARGV[5])
local SCHED = P .. 'sched'
local RUN = P .. 'run'
local QUEUES = P .. 'queues'
local WAKE = P .. 'wake'
local EVICTED = P .. 'evicted'

local function num(x) return string.format('%.0f', x) end
local function lp(s) return #s .. ':' .. s end
local function jkey(id) return P .. 'j:' .. id end
local function pqkey(q) return P .. 'pq:' .. lp(q) end
local function qtkey(q) return P .. 'qt:' .. lp(q) end
local function rkey(q, t) return P .. 'r:' .. lp(q) .. t end
local function skey(state) return P .. 's:' .. state end
local function ikey(owner, key)
  if owner then return P .. 'i:+' .. lp(owner) .. key end
  return P .. 'i:-' .. key
end

-- Runs `cmd key a1 a2 ...` in chunks, so long batches stay within Lua's stack limit.
local function bulk(cmd, key, args)
  for i = 1, #args, 4000 do
    redis.call(cmd, key, unpack(args, i, math.min(#args, i + 3999)))
  end
end

local function checkMove(from, to)
  if not (LEGAL[from] and LEGAL[from][to]) then
    error({err = 'ERR plimsoll illegal transition ' .. tostring(from) .. ' -> ' .. tostring(to)})
  end
end

-- state, queue, type, priority, created, owner|false, key|false
local function fields(id)
  local r = redis.call('HMGET', jkey(id), 's', 'q', 't', 'pr', 'c', 'o', 'k')
  return r[1], r[2], r[3], tonumber(r[4]), tonumber(r[5]), r[6], r[7]
end

-- Pending bookkeeping (pq set, qt counters, queues set) is collected per script and written once
-- per queue by flushPending(), which every script that adds or removes pending jobs calls last.
local pend = {}
local function pendOf(q)
  local p = pend[q]
  if not p then
    p = {add = {}, rem = {}, types = {}}
    pend[q] = p
  end
  return p
end

local function pendingAdd(id, q, t)
  local p = pendOf(q)
  p.add[#p.add + 1] = 0
  p.add[#p.add + 1] = id
  p.types[t] = (p.types[t] or 0) + 1
end

local function pendingRemove(id, q, t)
  local p = pendOf(q)
  p.rem[#p.rem + 1] = id
  p.types[t] = (p.types[t] or 0) - 1
end

local function flushPending()
  for q, p in pairs(pend) do
    local pk, qt = pqkey(q), qtkey(q)
    if #p.rem > 0 then bulk('ZREM', pk, p.rem) end
    if #p.add > 0 then bulk('ZADD', pk, p.add) end
    for t, d in pairs(p.types) do
      if d ~= 0 and redis.call('HINCRBY', qt, t, d) <= 0 then redis.call('HDEL', qt, t) end
    end
    if redis.call('EXISTS', pk) == 1 then
      redis.call('SADD', QUEUES, q)
    else
      redis.call('SREM', QUEUES, q)
      redis.call('DEL', qt)
    end
  end
  pend = {}
end

local function enqueue(id, q, t, pri, created)
  redis.call('ZADD', rkey(q, t), (9 - pri) * 1e13 + created, id)
end

-- Removes a job that is pending (SCHEDULED or QUEUED) from its indexes.
local function unpend(id, state, q, t)
  if state == 'SCHEDULED' then
    redis.call('ZREM', SCHED, id)
  else
    redis.call('ZREM', rkey(q, t), id)
  end
  pendingRemove(id, q, t)
end

-- Deletes a record and its idempotency key (only if that key still points at this job).
local function deleteRecord(id, owner, key)
  redis.call('DEL', jkey(id))
  if key then
    local ik = ikey(owner, key)
    if redis.call('GET', ik) == id then redis.call('DEL', ik) end
  end
end

-- Removes up to n entries of a finished index whose record is gone (expired by TTL).
local function trimOrphans(idx, n)
  local ids = redis.call('ZRANGE', idx, 0, n - 1)
  local gone = {}
  for _, id in ipairs(ids) do
    if redis.call('EXISTS', jkey(id)) == 0 then gone[#gone + 1] = id end
  end
  if #gone > 0 then bulk('ZREM', idx, gone) end
  return #gone, #ids
end

-- Trims expired entries from the head of a finished index (oldest first, the order in which
-- records expire), chunk by chunk while whole chunks are expired, scanning at most limit entries.
local function trimHead(idx, chunk, limit)
  local head = redis.call('ZRANGE', idx, 0, 0)
  if not head[1] or redis.call('EXISTS', jkey(head[1])) == 1 then return end
  local scanned = 0
  while scanned < limit do
    local gone, seen = trimOrphans(idx, chunk)
    scanned = scanned + seen
    if seen < chunk or gone < seen then return end
  end
end

-- Deletes the oldest finished job among the given indexes; returns false when all are empty.
local function evictOldest(idxs)
  local best, bestScore, bestIdx
  for _, idx in ipairs(idxs) do
    local h = redis.call('ZRANGE', idx, 0, 0, 'WITHSCORES')
    if h[1] and (best == nil or tonumber(h[2]) < bestScore) then
      best, bestScore, bestIdx = h[1], tonumber(h[2]), idx
    end
  end
  if not best then return false end
  redis.call('ZREM', bestIdx, best)
  local r = redis.call('HMGET', jkey(best), 'o', 'k')
  deleteRecord(best, r[1], r[2])
  return true
end

local function finishedIndexes(state)
  if state == 'DEAD' then return {skey('DEAD')} end
  return {skey('SUCCEEDED'), skey('CANCELLED')}
end

local function countOf(idxs)
  local n = 0
  for _, idx in ipairs(idxs) do n = n + redis.call('ZCARD', idx) end
  return n
end

-- A job has just become SUCCEEDED, CANCELLED or DEAD (record already written): index it by its
-- finish time and give record and idempotency key the finished TTL. flushFinished(), called last
-- by every script that finishes jobs, then gives the index a TTL no shorter than its newest
-- record, trims entries whose record already expired, and enforces the count bound.
local finished = {}
local function finish(id, state, at, owner, key)
  local ttl, max = FIN_TTL, FIN_MAX
  if state == 'DEAD' then ttl, max = DEAD_TTL, DEAD_MAX end
  if ttl <= 0 or max <= 0 then
    deleteRecord(id, owner, key)
    return
  end
  local list = finished[state]
  if not list then list = {}; finished[state] = list end
  list[#list + 1] = at * 2
  if key then
    list[#list] = at * 2 + 1
    redis.call('PEXPIRE', ikey(owner, key), ttl)
  end
  list[#list + 1] = id
  redis.call('PEXPIRE', jkey(id), ttl)
end

-- Deletes the n oldest jobs of one finished index.
local function evictFrom(idx, n)
  local entries = redis.call('ZRANGE', idx, 0, n - 1, 'WITHSCORES')
  for i = 1, #entries, 2 do
    local id = entries[i]
    if math.fmod(tonumber(entries[i + 1]), 2) == 1 then
      local r = redis.call('HMGET', jkey(id), 'o', 'k')
      deleteRecord(id, r[1], r[2])
    else
      redis.call('DEL', jkey(id))
    end
  end
  if #entries > 0 then redis.call('ZREMRANGEBYRANK', idx, 0, #entries / 2 - 1) end
  return #entries / 2
end

-- Evicts up to n of the oldest jobs across idxs; returns how many.
local function evict(idxs, n)
  local nonEmpty = {}
  for _, idx in ipairs(idxs) do
    if redis.call('EXISTS', idx) == 1 then nonEmpty[#nonEmpty + 1] = idx end
  end
  if #nonEmpty == 1 then return evictFrom(nonEmpty[1], n) end
  local done = 0
  while done < n and evictOldest(idxs) do done = done + 1 end
  return done
end

local function flushFinished()
  for _, kind in ipairs({'f', 'd'}) do
    local states = {'SUCCEEDED', 'CANCELLED'}
    local ttl, max = FIN_TTL, FIN_MAX
    if kind == 'd' then states, ttl, max = {'DEAD'}, DEAD_TTL, DEAD_MAX end
    local added, idxs = 0, {}
    for _, s in ipairs(states) do
      idxs[#idxs + 1] = skey(s)
      local list = finished[s]
      if list then
        local idx, n = skey(s), #list / 2
        bulk('ZADD', idx, list)
        added = added + n
        if redis.call('PTTL', idx) < ttl then redis.call('PEXPIRE', idx, ttl) end
        trimHead(idx, n + 2, 4 * n + 100)
      end
    end
    if added > 0 then
      local over = countOf(idxs) - max
      if over > 0 then redis.call('HINCRBY', EVICTED, kind, evict(idxs, over)) end
    end
  end
  finished = {}
end

local function wake()
  redis.call('PUBLISH', WAKE, '1')
end
