-- Returns RUNNING jobs whose lease ended before ARGV[6] (ms) to QUEUED (the lost attempt stays
-- counted), or to DEAD 'lease expired' when attempts are exhausted, or to CANCELLED when a cancel
-- was requested; at most ARGV[7]. Returns how many were recovered.
local now, max = tonumber(ARGV[6]), tonumber(ARGV[7])
local ids = redis.call('ZRANGEBYSCORE', RUN, '-inf', '(' .. num(now), 'LIMIT', 0, max)
local queued = false
for _, id in ipairs(ids) do
  redis.call('ZREM', RUN, id)
  local jk = jkey(id)
  local r = redis.call('HMGET', jk, 's', 'q', 't', 'pr', 'c', 'o', 'k', 'a', 'm', 'x')
  if r[1] == 'RUNNING' then
    local attempts, maxAttempts = tonumber(r[8]), tonumber(r[9])
    redis.call('HDEL', jk, 'l', 'n', 'x')
    if r[10] then
      checkMove('RUNNING', 'CANCELLED')
      redis.call('HSET', jk, 's', 'CANCELLED', 'err', r[10], 'u', num(now))
      finish(id, 'CANCELLED', now, r[6], r[7])
    elseif attempts >= maxAttempts then
      checkMove('RUNNING', 'DEAD')
      redis.call('HSET', jk, 's', 'DEAD', 'err', 'lease expired', 'u', num(now))
      finish(id, 'DEAD', now, r[6], r[7])
    else
      checkMove('RUNNING', 'QUEUED')
      redis.call('HSET', jk, 's', 'QUEUED', 'u', num(now))
      enqueue(id, r[2], r[3], tonumber(r[4]), tonumber(r[5]))
      pendingAdd(id, r[2], r[3])
      queued = true
    end
  end
end
flushPending()
flushFinished()
if queued then wake() end
return #ids
