-- Voids positions whose preconfirmations could not be recorded. The sequence stays used (the
-- lane head never moves back) and is listed as void, so the feed log can step over it; the tx,
-- nonce and slot claims are released so that the transaction may be submitted again.
--
-- KEYS, 5 per position: tx, nonce, slot, void, pos.  ARGV, 2 per position: txHash, sequence.
-- A position is only voided while its tx still holds exactly that sequence, so a late or
-- repeated call cannot release a claim that a newer submission holds.
-- Returns the number of positions voided.
local voided = 0
for i = 1, #KEYS / 5 do
  local k = (i - 1) * 5
  local txKey, nonceKey, slotKey, voidKey, posKey =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5]
  local tx, seq = ARGV[(i - 1) * 2 + 1], ARGV[(i - 1) * 2 + 2]
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
    redis.call('HSET', voidKey, seq, tx)
    redis.call('HDEL', posKey, seq)
    voided = voided + 1
  end
end
return voided
