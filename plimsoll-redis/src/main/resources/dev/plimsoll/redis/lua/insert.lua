-- Inserts a batch atomically: idempotency, per-queue capacity (REJECT/BLOCK -> {'FULL', queue,
-- capacity}, nothing written; DROP_OLDEST -> oldest pending jobs CANCELLED 'dropped'), then records.
-- ARGV[6] queue count; per queue: name, capacity, policy; then per job 12 fields:
-- id, queue, type, payload, owner, key, flags (1 owner set, 2 key set), priority, maxAttempts,
-- timeout ms, created ms, runAt ms. Returns per job: id, duplicate (0/1), dropped id or ''.
local nq = tonumber(ARGV[6])
local cfg = {}
local i = 7
for _ = 1, nq do
  cfg[ARGV[i]] = {cap = tonumber(ARGV[i + 1]), policy = ARGV[i + 2]}
  i = i + 3
end
local jobs = {}
while i <= #ARGV do
  local flags = tonumber(ARGV[i + 6])
  local owner, key = false, false
  if flags % 2 == 1 then owner = ARGV[i + 4] end
  if flags >= 2 then key = ARGV[i + 5] end
  jobs[#jobs + 1] = {id = ARGV[i], q = ARGV[i + 1], t = ARGV[i + 2], p = ARGV[i + 3], o = owner,
    k = key, pr = tonumber(ARGV[i + 7]), m = ARGV[i + 8], to = ARGV[i + 9],
    c = tonumber(ARGV[i + 10]), r = tonumber(ARGV[i + 11])}
  i = i + 12
end

-- Pass 1: duplicates (held jobs, or earlier in this batch) and how many new jobs each queue gets.
local seen, need, order = {}, {}, {}
for _, j in ipairs(jobs) do
  if j.k then
    local ik = ikey(j.o, j.k)
    local existing = seen[ik]
    if not existing then
      local held = redis.call('GET', ik)
      if held and redis.call('EXISTS', jkey(held)) == 1 then existing = held end
    end
    if existing then j.dup = existing else seen[ik] = j.id end
  end
  if not j.dup then
    if not need[j.q] then need[j.q] = 0; order[#order + 1] = j.q end
    need[j.q] = need[j.q] + 1
  end
end

-- Pass 2: capacity. Nothing is written before every queue has room.
local evict = {}
for _, q in ipairs(order) do
  local c = cfg[q]
  local held = redis.call('ZCARD', pqkey(q))
  local over = held + need[q] - c.cap
  if over > 0 then
    if c.policy ~= 'DROP_OLDEST' or need[q] > c.cap then
      return {'FULL', q, num(c.cap)}
    end
    evict[q] = redis.call('ZRANGE', pqkey(q), 0, over - 1)
  end
end

-- Pass 3: write.
local dropped = {}
for q, ids in pairs(evict) do
  dropped[q] = ids
  for _, id in ipairs(ids) do
    local s, jq, t, _, _, o, k = fields(id)
    checkMove(s, 'CANCELLED')
    local at = 0
    for _, j in ipairs(jobs) do if j.q == q then at = math.max(at, j.c) end end
    unpend(id, s, jq, t)
    redis.call('HSET', jkey(id), 's', 'CANCELLED', 'err', 'dropped', 'u', num(at))
    finish(id, 'CANCELLED', at, o, k)
  end
end
local out, used, ready, sched = {}, {}, {}, {}
for _, j in ipairs(jobs) do
  if j.dup then
    out[#out + 1] = j.dup; out[#out + 1] = '1'; out[#out + 1] = ''
  else
    local state = 'QUEUED'
    if j.r > j.c then state = 'SCHEDULED' end
    local rec = {'q', j.q, 't', j.t, 'p', j.p, 'pr', j.pr, 's', state, 'a', 0, 'm', j.m,
      'to', j.to, 'c', num(j.c), 'r', num(j.r), 'u', num(j.c), 'tk', 0}
    if j.o then rec[#rec + 1] = 'o'; rec[#rec + 1] = j.o end
    if j.k then
      rec[#rec + 1] = 'k'; rec[#rec + 1] = j.k
      redis.call('SET', ikey(j.o, j.k), j.id)
    end
    redis.call('HSET', jkey(j.id), unpack(rec))
    if state == 'SCHEDULED' then
      sched[#sched + 1] = j.r
      sched[#sched + 1] = j.id
    else
      local rk = rkey(j.q, j.t)
      local list = ready[rk]
      if not list then list = {}; ready[rk] = list end
      list[#list + 1] = (9 - j.pr) * 1e13 + j.c
      list[#list + 1] = j.id
    end
    pendingAdd(j.id, j.q, j.t)
    local d = ''
    local dl = dropped[j.q]
    if dl then
      used[j.q] = (used[j.q] or 0) + 1
      d = dl[used[j.q]] or ''
    end
    out[#out + 1] = j.id; out[#out + 1] = '0'; out[#out + 1] = d
  end
end
if #sched > 0 then bulk('ZADD', SCHED, sched) end
local queued = false
for rk, list in pairs(ready) do
  bulk('ZADD', rk, list)
  queued = true
end
flushPending()
flushFinished()
if queued then wake() end
return out
