-- Voids positions whose preconfirmations could not be recorded. The sequence stays used (the
-- lane head never moves back) and is listed as void, so the feed log can step over it; the tx,
-- nonce and slot claims, and the nonce and cost the position reserved of its sender (see
-- claim.lua), are released so that the transaction may be submitted again.
--
-- KEYS, 6 per position: tx, nonce, slot, void, pos, held.
-- ARGV, 3 per position: txHash, sequence, nonce.
-- A position is only voided while its tx still holds exactly that sequence, so a late or
-- repeated call cannot release a claim, or a reservation, that another submission holds.
-- Returns the number of positions voided.
local voided = 0
for i = 1, #KEYS / 6 do
  local k = (i - 1) * 6
  local txKey, nonceKey, slotKey, voidKey, posKey, heldKey =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6]
  local a = (i - 1) * 3
  local tx, seq, nonce = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local held = redis.call('HMGET', txKey, 'seq', 'gas')
  if held[1] == seq then
    redis.call('DEL', txKey)
    if redis.call('GET', nonceKey) == tx .. ':' .. seq then
      redis.call('DEL', nonceKey)
    end
    if redis.call('EXISTS', slotKey) == 1 then
      local n = redis.call('HINCRBY', slotKey, 'n', -1)
      local gas = redis.call('HINCRBY', slotKey, 'gas', -tonumber(held[2] or '0'))
      if n < 0 then redis.call('HSET', slotKey, 'n', 0) end
      if gas < 0 then redis.call('HSET', slotKey, 'gas', 0) end
    end
    local reserved = redis.call('HGET', heldKey, nonce)
    local mine = tx .. ' ' .. seq .. ' '
    if reserved and string.sub(reserved, 1, #mine) == mine then
      redis.call('HDEL', heldKey, nonce)
    end
    redis.call('HSET', voidKey, seq, tx)
    redis.call('HDEL', posKey, seq)
    voided = voided + 1
  end
end
return voided
