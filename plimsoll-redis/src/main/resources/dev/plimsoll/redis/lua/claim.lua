-- Claims up to max QUEUED jobs of the given types: highest priority then oldest within a queue,
-- one job per queue per round (round-robin, starting at a rotating offset chosen by the caller).
-- ARGV[6] now ms, [7] lease-until ms, [8] node id, [9] max, [10] offset, [11..] types.
-- Returns, per claimed job, its id followed by the number of record fields and HGETALL pairs.
local now, untilMs, node = ARGV[6], tonumber(ARGV[7]), ARGV[8]
local max, offset = tonumber(ARGV[9]), tonumber(ARGV[10])
local types = {}
for k = 11, #ARGV do types[#types + 1] = ARGV[k] end

local queues = redis.call('SMEMBERS', QUEUES)
table.sort(queues)
local n = #queues
local active = {}
for k = 1, n do
  local q = queues[((k - 1 + offset) % n) + 1]
  local keys = {}
  local qt = qtkey(q)
  for _, t in ipairs(types) do
    if redis.call('HEXISTS', qt, t) == 1 then keys[#keys + 1] = {rkey(q, t), q, t} end
  end
  if #keys > 0 then active[#active + 1] = keys end
end

local out, claimed, running = {}, 0, {}

-- The record of a job as a field -> value table, from HGETALL.
local function record(id)
  local flat = redis.call('HGETALL', jkey(id))
  local r = {}
  for i = 1, #flat, 2 do r[flat[i]] = flat[i + 1] end
  return r
end

-- Moves one QUEUED job (already removed from its ready set) to RUNNING and adds it to the reply.
local function take(id, q, t, r)
  r = r or record(id)
  checkMove(r.s, 'RUNNING')
  pendingRemove(id, q, t)
  r.s, r.a, r.tk, r.u, r.l, r.n = 'RUNNING', num(tonumber(r.a) + 1), num(tonumber(r.tk) + 1),
    now, num(untilMs), node
  redis.call('HSET', jkey(id), 's', r.s, 'a', r.a, 'tk', r.tk, 'u', r.u, 'l', r.l, 'n', r.n)
  running[#running + 1] = untilMs
  running[#running + 1] = id
  out[#out + 1] = id
  local at = #out + 1
  out[at] = 0
  for f, v in pairs(r) do
    out[#out + 1] = f
    out[#out + 1] = v
  end
  out[at] = #out - at
  claimed = claimed + 1
end

if #active == 1 and #active[1] == 1 then
  -- One ready set to take from: pop the batch at once.
  local key = active[1][1]
  local ids = redis.call('ZRANGE', key[1], 0, max - 1)
  local recs = {}
  for k, id in ipairs(ids) do
    recs[k] = record(id)
    checkMove(recs[k].s, 'RUNNING')
  end
  if #ids > 0 then redis.call('ZREMRANGEBYRANK', key[1], 0, #ids - 1) end
  for k, id in ipairs(ids) do take(id, key[2], key[3], recs[k]) end
  active = {}
end
while claimed < max and #active > 0 do
  local still = {}
  for _, keys in ipairs(active) do
    if claimed >= max then break end
    local best, bestScore, bestKey
    for _, key in ipairs(keys) do
      local h = redis.call('ZRANGE', key[1], 0, 0, 'WITHSCORES')
      if h[1] then
        local s = tonumber(h[2])
        if best == nil or s < bestScore or (s == bestScore and h[1] < best) then
          best, bestScore, bestKey = h[1], s, key
        end
      end
    end
    if best then
      checkMove(redis.call('HGET', jkey(best), 's'), 'RUNNING')
      redis.call('ZREM', bestKey[1], best)
      take(best, bestKey[2], bestKey[3])
      still[#still + 1] = keys
    end
  end
  active = still
end
if #running > 0 then bulk('ZADD', RUN, running) end
flushPending()
return out
