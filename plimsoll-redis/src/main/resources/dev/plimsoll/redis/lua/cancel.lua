-- Cancels job ARGV[6] with reason ARGV[7] at ARGV[8] ms. Returns CANCELLED, REQUESTED,
-- ALREADY_FINISHED or NOT_FOUND.
local id, reason, now = ARGV[6], ARGV[7], tonumber(ARGV[8])
local s, q, t, _, _, owner, key = fields(id)
if not s then return 'NOT_FOUND' end
if s == 'RUNNING' then
  redis.call('HSET', jkey(id), 'x', reason)
  return 'REQUESTED'
end
if s == 'SCHEDULED' or s == 'QUEUED' then
  checkMove(s, 'CANCELLED')
  unpend(id, s, q, t)
  redis.call('HSET', jkey(id), 's', 'CANCELLED', 'err', reason, 'u', num(now))
  finish(id, 'CANCELLED', now, owner, key)
  flushPending()
  flushFinished()
  return 'CANCELLED'
end
return 'ALREADY_FINISHED'
