-- Moves SCHEDULED jobs due at or before ARGV[6] (ms) to QUEUED, at most ARGV[7]. Returns count.
local now, max = tonumber(ARGV[6]), tonumber(ARGV[7])
local ids = redis.call('ZRANGEBYSCORE', SCHED, '-inf', now, 'LIMIT', 0, max)
for _, id in ipairs(ids) do
  redis.call('ZREM', SCHED, id)
  local s, q, t, pri, created = fields(id)
  if s then
    checkMove(s, 'QUEUED')
    redis.call('HSET', jkey(id), 's', 'QUEUED', 'u', num(now))
    enqueue(id, q, t, pri, created)
  end
end
if #ids > 0 then wake() end
return #ids
