-- Restores the claims of preconfirmations the durable store holds, before their lane head is
-- seeded, so that a tx or a (sender, nonce) already promised cannot be promised again after
-- Redis lost its data. Never overwrites a claim that is there.
--
-- KEYS, 2 per claim: tx, nonce.  ARGV: claim ttl in seconds (0 = none, as in claim.lua), then 6
-- per claim: txHash, seq, sender, nonce, slot, receivedAt.
local claimTtl = tonumber(ARGV[1])
local restored = 0
for i = 1, #KEYS / 2 do
  local txKey, nonceKey = KEYS[(i - 1) * 2 + 1], KEYS[(i - 1) * 2 + 2]
  local a = 1 + (i - 1) * 6
  if redis.call('EXISTS', txKey) == 0 then
    redis.call('HSET', txKey, 'seq', ARGV[a + 2], 'sender', ARGV[a + 3], 'nonce', ARGV[a + 4],
      'slot', ARGV[a + 5], 'gas', '0', 'at', ARGV[a + 6])
    if claimTtl > 0 then redis.call('EXPIRE', txKey, claimTtl) end
    restored = restored + 1
  end
  if redis.call('SET', nonceKey, ARGV[a + 1] .. ':' .. ARGV[a + 2], 'NX') and claimTtl > 0 then
    redis.call('EXPIRE', nonceKey, claimTtl)
  end
end
return restored
