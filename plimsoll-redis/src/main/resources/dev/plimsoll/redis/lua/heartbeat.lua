-- Extends leases of attempts still held (RUNNING with the same token) to ARGV[6]; ARGV[7..] are
-- id, token pairs. Returns {lost count, lost ids..., ids asked to cancel...}.
local untilMs = tonumber(ARGV[6])
local lost, cancel = {}, {}
for k = 7, #ARGV, 2 do
  local id, token = ARGV[k], ARGV[k + 1]
  local jk = jkey(id)
  local r = redis.call('HMGET', jk, 's', 'tk', 'x')
  if r[1] ~= 'RUNNING' or r[2] ~= token then
    lost[#lost + 1] = id
  else
    redis.call('HSET', jk, 'l', num(untilMs))
    redis.call('ZADD', RUN, 'XX', untilMs, id)
    if r[3] then cancel[#cancel + 1] = id end
  end
end
local out = {#lost}
for _, id in ipairs(lost) do out[#out + 1] = id end
for _, id in ipairs(cancel) do out[#out + 1] = id end
return out
