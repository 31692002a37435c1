-- Appends preconfirmations to a lane's feed log in lane order, with the sequence as the entry
-- ID ("<sequence>-0"), so that a reader resumes from a sequence with XRANGE/XREAD and sees no
-- gap and no duplicate.
--
-- Requests finish out of order (sequence 8 may be recorded before 7), so entries wait in a
-- pending hash until every earlier sequence is either published or void; a void sequence gets
-- an entry of type "void" so that readers know the gap is intended.
--
-- KEYS: stream, pending, void, feed head, pos.
-- ARGV: max stream length (approximate, 0 = unbounded), then pairs: sequence, JSON.
-- Returns the sequence of the last entry in the log.
local stream, pending, void, headKey, pos = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local maxLen = tonumber(ARGV[1])
local head = tonumber(redis.call('GET', headKey) or '0')
for i = 2, #ARGV, 2 do
  if tonumber(ARGV[i]) > head then
    redis.call('HSET', pending, ARGV[i], ARGV[i + 1])
  end
end

local function append(seq, ...)
  if maxLen > 0 then
    redis.call('XADD', stream, 'MAXLEN', '~', maxLen, seq .. '-0', ...)
  else
    redis.call('XADD', stream, seq .. '-0', ...)
  end
end

while true do
  local nextSeq = string.format('%d', head + 1)
  local json = redis.call('HGET', pending, nextSeq)
  if json then
    append(nextSeq, 'type', 'preconfirmation', 'data', json)
    redis.call('HDEL', pending, nextSeq)
    redis.call('HDEL', pos, nextSeq)
  else
    local voidTx = redis.call('HGET', void, nextSeq)
    if voidTx then
      append(nextSeq, 'type', 'void', 'txHash', voidTx)
    else
      break
    end
  end
  head = head + 1
end
redis.call('SET', headKey, string.format('%d', head))
return head
