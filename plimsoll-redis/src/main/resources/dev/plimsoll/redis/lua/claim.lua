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

local out, claimed = {}, 0
local function take(key, id, q, t)
  local jk = jkey(id)
  checkMove(redis.call('HGET', jk, 's'), 'RUNNING')
  redis.call('ZREM', key, id)
  pendingRemove(id, q, t)
  redis.call('HINCRBY', jk, 'a', 1)
  redis.call('HINCRBY', jk, 'tk', 1)
  redis.call('HSET', jk, 's', 'RUNNING', 'u', now, 'l', num(untilMs), 'n', node)
  redis.call('ZADD', RUN, untilMs, id)
  local rec = redis.call('HGETALL', jk)
  out[#out + 1] = id
  out[#out + 1] = #rec
  for _, v in ipairs(rec) do out[#out + 1] = v end
  claimed = claimed + 1
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
      take(bestKey[1], best, bestKey[2], bestKey[3])
      still[#still + 1] = keys
    end
  end
  active = still
end
return out
