-- Counts per state and pending per queue, after trimming index entries whose record expired.
-- Returns {SCHEDULED, RUNNING, SUCCEEDED, CANCELLED, DEAD, queue, pending, queue, pending, ...}.
for _, s in ipairs({'SUCCEEDED', 'CANCELLED', 'DEAD'}) do
  local idx = skey(s)
  local n = redis.call('ZCARD', idx)
  if n > 0 then trimOrphans(idx, n) end
end
local out = {redis.call('ZCARD', SCHED), redis.call('ZCARD', RUN), redis.call('ZCARD', skey('SUCCEEDED')),
  redis.call('ZCARD', skey('CANCELLED')), redis.call('ZCARD', skey('DEAD'))}
for _, q in ipairs(redis.call('SMEMBERS', QUEUES)) do
  out[#out + 1] = q
  out[#out + 1] = redis.call('ZCARD', pqkey(q))
end
return out
