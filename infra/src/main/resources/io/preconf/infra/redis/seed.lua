-- Sets a lane head restored from the durable store, unless the lane already has one (another
-- process seeded it first, or it was never lost). The feed log's head starts at the same place:
-- what the durable store holds up to there is already final.
--
-- KEYS: lane, feed head.  ARGV: sequence, txHash at that sequence, its receivedAt.
-- Returns 1 when this call seeded the lane, 0 when it was already there.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'tx', ARGV[2], 'at', ARGV[3])
redis.call('SET', KEYS[2], ARGV[1], 'NX')
return 1
