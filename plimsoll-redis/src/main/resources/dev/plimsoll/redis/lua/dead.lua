-- Dead-letter operations. ARGV[6] op: 'requeue' id now | 'delete' id | 'purge' batch.
local op = ARGV[6]
local DEAD = skey('DEAD')
if op == 'purge' then
  local ids = redis.call('ZRANGE', DEAD, 0, tonumber(ARGV[7]) - 1)
  for _, id in ipairs(ids) do
    redis.call('ZREM', DEAD, id)
    local r = redis.call('HMGET', jkey(id), 's', 'o', 'k')
    if r[1] == 'DEAD' then deleteRecord(id, r[2], r[3]) end
  end
  return #ids
end
local id = ARGV[7]
local jk = jkey(id)
local s, q, t, pri, created, owner, key = fields(id)
if s ~= 'DEAD' then return 0 end
redis.call('ZREM', DEAD, id)
if op == 'delete' then
  deleteRecord(id, owner, key)
  return 1
end
checkMove('DEAD', 'QUEUED')
redis.call('PERSIST', jk)
if key then redis.call('PERSIST', ikey(owner, key)) end
redis.call('HSET', jk, 's', 'QUEUED', 'a', 0, 'u', ARGV[8])
redis.call('HDEL', jk, 'err')
enqueue(id, q, t, pri, created)
pendingAdd(id, q, t)
flushPending()
wake()
return 1
