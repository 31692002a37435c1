-- Appends preconfirmations to a lane's feed log in lane order, with the sequence as the entry
-- ID ("<sequence>-0"), so that a reader resumes from a sequence with XRANGE/XREAD and sees each
-- sequence at most once, in order.
--
-- Requests finish out of order (sequence 8 may be recorded before 7), so entries wait in a
-- pending hash until every earlier sequence is published or void; a void sequence gets an entry
-- of type "void" so readers know the gap is intended. A sequence that never comes (its publish
-- failed, or its process died between record and publish) would stall the lane, so once the
-- head has waited longer than the gap wait, the log moves on and leaves a gap: readers fill a
-- gap from the durable store, and a late entry for a skipped sequence is dropped here.
--
-- An entry carries the preconfirmation's JSON ("data") and the signed transaction it promises
-- ("tx", 0x hex), so that the lane can be handed to its node from the log; the feed's frames are
-- made from "data" alone. The transaction waits beside the JSON in a hash of its own.
--
-- KEYS: stream, pending, void, feed head, open positions, stall marker, pending transactions.
-- ARGV: max stream length (approximate, 0 = unbounded), gap wait in ms, then triples: seq, JSON,
-- signed transaction.
-- Returns the sequence of the last entry in the log.
local stream, pending, void, headKey, open, stallKey, pendingTx =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local maxLen = tonumber(ARGV[1])
local gapWait = tonumber(ARGV[2])
local head = tonumber(redis.call('GET', headKey) or '0')
for i = 3, #ARGV, 3 do
  if tonumber(ARGV[i]) > head then
    redis.call('HSET', pending, ARGV[i], ARGV[i + 1])
    redis.call('HSET', pendingTx, ARGV[i], ARGV[i + 2])
  end
end

local function append(seq, ...)
  if maxLen > 0 then
    redis.call('XADD', stream, 'MAXLEN', '~', maxLen, seq .. '-0', ...)
  else
    redis.call('XADD', stream, seq .. '-0', ...)
  end
end

local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

while true do
  local nextSeq = string.format('%d', head + 1)
  local json = redis.call('HGET', pending, nextSeq)
  local voidTx = (not json) and redis.call('HGET', void, nextSeq)
  if json then
    local tx = redis.call('HGET', pendingTx, nextSeq)
    if tx then
      append(nextSeq, 'type', 'preconfirmation', 'data', json, 'tx', tx)
    else
      append(nextSeq, 'type', 'preconfirmation', 'data', json)
    end
    redis.call('HDEL', pending, nextSeq)
    redis.call('HDEL', pendingTx, nextSeq)
    redis.call('HDEL', open, nextSeq)
    redis.call('DEL', stallKey)
    head = head + 1
  elseif voidTx then
    append(nextSeq, 'type', 'void', 'txHash', voidTx)
    redis.call('DEL', stallKey)
    head = head + 1
  else
    local waiting = redis.call('HKEYS', pending)
    if #waiting == 0 then break end
    local since = tonumber(redis.call('GET', stallKey) or '0')
    local now = nowMs()
    if since == 0 then
      redis.call('SET', stallKey, string.format('%d', now))
      break
    end
    if now - since < gapWait then break end
    -- Waited long enough: skip to the lowest waiting sequence, leaving a gap before it.
    local lowest = nil
    for _, s in ipairs(waiting) do
      local n = tonumber(s)
      if not lowest or n < lowest then lowest = n end
    end
    for s = head + 1, lowest - 1 do
      redis.call('HDEL', open, string.format('%d', s))
      redis.call('HDEL', pendingTx, string.format('%d', s))
    end
    head = lowest - 1
    redis.call('DEL', stallKey)
  end
end
redis.call('SET', headKey, string.format('%d', head))
return head
