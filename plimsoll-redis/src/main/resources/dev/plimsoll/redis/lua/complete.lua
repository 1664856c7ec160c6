-- Applies decisions about running attempts, each only while the job is RUNNING and its fencing
-- token matches. ARGV[6..] per completion 7 fields: id, token, next state, result, error,
-- runAt ms, at ms, flags (1 result set, 2 error set). Returns 1/0 per completion.
local out, queued, released = {}, false, {}
local k = 6
while k <= #ARGV do
  local id, token, nxt = ARGV[k], ARGV[k + 1], ARGV[k + 2]
  local result, err, runAt, at = ARGV[k + 3], ARGV[k + 4], ARGV[k + 5], tonumber(ARGV[k + 6])
  local flags = tonumber(ARGV[k + 7])
  k = k + 8
  local jk = jkey(id)
  local r = redis.call('HMGET', jk, 's', 'tk', 'q', 't', 'pr', 'c', 'o', 'k', 'x')
  if r[1] ~= 'RUNNING' or r[2] ~= token then
    out[#out + 1] = 0
  else
    checkMove('RUNNING', nxt)
    local q, t, pri, created, owner, key = r[3], r[4], tonumber(r[5]), tonumber(r[6]), r[7], r[8]
    released[#released + 1] = id
    if r[9] then redis.call('HDEL', jk, 'x') end
    local set = {'s', nxt, 'u', num(at)}
    if flags % 2 == 1 then set[#set + 1] = 'res'; set[#set + 1] = result end
    if flags >= 2 then set[#set + 1] = 'err'; set[#set + 1] = err end
    if nxt == 'SCHEDULED' then set[#set + 1] = 'r'; set[#set + 1] = runAt end
    redis.call('HSET', jk, unpack(set))
    if nxt == 'SCHEDULED' then
      redis.call('ZADD', SCHED, runAt, id)
      pendingAdd(id, q, t)
    elseif nxt == 'QUEUED' then
      redis.call('HINCRBY', jk, 'a', -1)
      enqueue(id, q, t, pri, created)
      pendingAdd(id, q, t)
      queued = true
    else
      finish(id, nxt, at, owner, key)
    end
    out[#out + 1] = 1
  end
end
if #released > 0 then bulk('ZREM', RUN, released) end
flushPending()
flushFinished()
if queued then wake() end
return out
