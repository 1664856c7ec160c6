-- Retention by the engine's clock: removes finished jobs finished at or before now - maxAge, and
-- beyond the count bound (oldest first), and index entries whose record already expired by TTL;
-- at most ARGV[9] removals per kind. ARGV[6] now ms, [7] finished max age ms, [8] dead max age ms.
-- Returns {finished removed, dead removed, more (0/1)}, counting the jobs evicted by the count
-- bound at completion since the last purge; records expired by TTL are not counted.
local now, finAge, deadAge, batch =
  tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local more = 0
local function purgeKind(idxs, maxAge, maxCount)
  local removed = 0
  for _, idx in ipairs(idxs) do
    trimOrphans(idx, batch)
    local cutoff = (now - maxAge) * 2 + 1
    local ids = redis.call('ZRANGEBYSCORE', idx, '-inf', cutoff, 'LIMIT', 0, batch)
    for _, id in ipairs(ids) do
      redis.call('ZREM', idx, id)
      local r = redis.call('HMGET', jkey(id), 'o', 'k')
      deleteRecord(id, r[1], r[2])
    end
    removed = removed + #ids
    if #ids == batch or redis.call('ZCOUNT', idx, '-inf', cutoff) > 0 then more = 1 end
  end
  local over = countOf(idxs) - maxCount
  local n = 0
  while over > 0 and n < batch and evictOldest(idxs) do
    over = over - 1
    n = n + 1
  end
  if over > 0 then more = 1 end
  return removed + n
end
local fin = purgeKind(finishedIndexes('SUCCEEDED'), finAge, FIN_MAX)
local dead = purgeKind(finishedIndexes('DEAD'), deadAge, DEAD_MAX)
local evicted = redis.call('HMGET', EVICTED, 'f', 'd')
redis.call('DEL', EVICTED)
return {fin + (tonumber(evicted[1]) or 0), dead + (tonumber(evicted[2]) or 0), more}
