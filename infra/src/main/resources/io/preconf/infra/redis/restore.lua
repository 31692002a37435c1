-- Restores the claims of preconfirmations the durable store holds, before their lane head is
-- seeded, so that a tx or a (sender, nonce) already promised cannot be promised again after
-- Redis lost its data, and a target slot counts the promises it holds. Never overwrites a claim
-- that is there, and counts a claim in its slot only when it restores it, so that a restore run
-- twice (two processes at once) counts each claim once. The gas a slot has promised is not known
-- to the durable store and is not restored. A promise not yet included and in force also gets
-- back its sender's reservation (claim.lua's held book: nonce -> "<tx> <seq> <cost> <until>"),
-- unless one is there, so that the sender's next nonce and the balance its promises spend are
-- counted as before the loss.
--
-- KEYS, 4 per claim: tx, nonce, slot, held.  ARGV: claim ttl and slot ttl in seconds (0 = none,
-- as in claim.lua), then 8 per claim: txHash, seq, sender, nonce, slot, receivedAt, then the
-- reserved cost (wei, decimal; '' when it reserves nothing) and until when (unix ms), then how
-- long the held book must live from now (ms).
local claimTtl, slotTtl = tonumber(ARGV[1]), tonumber(ARGV[2])
local restored = 0
for i = 1, #KEYS / 4 do
  local k = (i - 1) * 4
  local txKey, nonceKey, slotKey, heldKey = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4]
  local a = 2 + (i - 1) * 9
  if redis.call('EXISTS', txKey) == 0 then
    redis.call('HSET', txKey, 'seq', ARGV[a + 2], 'sender', ARGV[a + 3], 'nonce', ARGV[a + 4],
      'slot', ARGV[a + 5], 'gas', '0', 'at', ARGV[a + 6])
    if claimTtl > 0 then redis.call('EXPIRE', txKey, claimTtl) end
    redis.call('HINCRBY', slotKey, 'n', 1)
    if slotTtl > 0 then redis.call('EXPIRE', slotKey, slotTtl) end
    restored = restored + 1
  end
  if redis.call('SET', nonceKey, ARGV[a + 1] .. ':' .. ARGV[a + 2], 'NX') and claimTtl > 0 then
    redis.call('EXPIRE', nonceKey, claimTtl)
  end
  local cost, keepMs = ARGV[a + 7], tonumber(ARGV[a + 9])
  if cost ~= '' and redis.call('HSETNX', heldKey, ARGV[a + 4],
      ARGV[a + 1] .. ' ' .. ARGV[a + 2] .. ' ' .. cost .. ' ' .. ARGV[a + 8]) == 1 then
    if redis.call('PTTL', heldKey) < keepMs then redis.call('PEXPIRE', heldKey, keepMs) end
  end
end
return restored
