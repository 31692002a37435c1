-- Appends preconfirmations to a lane's feed log in lane order, with the sequence as the entry
-- ID ("<sequence>-0"), so that a reader resumes from a sequence with XRANGE/XREAD and sees each
-- sequence at most once, in order.
--
-- Requests finish out of order (sequence 8 may be recorded before 7), so entries wait in a
-- pending hash until every earlier sequence is published or void; a void sequence gets an entry
-- of type "void" so readers know the gap is intended. A sequence that never comes (its publish
-- failed, or its process died between record and publish) would stall the lane, so once the
-- head has waited longer than the gap wait, the log moves on and leaves a gap: readers fill a
-- gap from the durable store, and a late entry for a skipped sequence is dropped here. An entry
-- that continues the log goes to the stream at once: only those that must wait are written to
-- the pending hashes.
--
-- An entry carries the preconfirmation's JSON with its commitment named by its root ("data") and
-- the signed transaction it promises as its bytes ("raw"), so that the lane can be handed to its
-- node from the log; the feed's frames are made from "data" and its commitment. An entry with no
-- "type" is a preconfirmation. The commitments themselves are written here, once each, before the
-- entries that name them. Entries an older engine wrote read as they are: with "type"
-- "preconfirmation", the root again as "cm" and the transaction as 0x hex ("tx"), or with no "cm"
-- and the whole commitment inside "data".
--
-- The same call fills the preconfirmation cache (one write, so one fsync, for both): an entry
-- placed here, in the stream or the pending hash, is cached as "@<seq>", naming it instead of
-- carrying its JSON a second time (cached.lua reads it back); one not placed (a late copy of a
-- sequence the log has passed) is cached with its JSON.
--
-- KEYS: stream, pending, void, feed head, open positions, stall marker, pending transactions,
-- pending roots, then one key per commitment written, then one cache key per entry.
-- ARGV: max stream length (approximate, 0 = unbounded), gap wait in ms, the number of
-- commitments written, then for each its bytes (CommitmentBytes) and how long it lives (ms), then
-- per entry: seq, JSON, signed transaction (bytes), how long its cache entry lives (ms; 0 = not
-- cached).
-- Returns the sequence of the last entry in the log.
local stream, pending, void, headKey, open, stallKey, pendingTx, pendingRoot =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local maxLen = tonumber(ARGV[1])
local gapWait = tonumber(ARGV[2])
local commitments = tonumber(ARGV[3])
for c = 1, commitments do
  redis.call('SET', KEYS[8 + c], ARGV[2 + 2 * c], 'PX', ARGV[3 + 2 * c])
end

local head = tonumber(redis.call('GET', headKey) or '0')
local startHead = head
-- The entries of this call still to place, by sequence: the index of their seq in ARGV.
local given = {}
local givenCount = 0
-- Whether the entry at ARGV index i is placed by this call (appended or left pending).
local placed = {}
local firstEntry = 4 + 2 * commitments
for i = firstEntry, #ARGV, 4 do
  local seq = tonumber(ARGV[i])
  if seq > head and not given[seq] then
    given[seq] = i
    givenCount = givenCount + 1
    placed[i] = true
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

-- Fields of many hash entries dropped at once, a thousand per command (Lua's unpack is bounded).
local function hdel(key, fields)
  for from = 1, #fields, 1000 do
    redis.call('HDEL', key, unpack(fields, from, math.min(#fields, from + 999)))
  end
end

-- Sequences now in the stream or skipped: no longer open, and no longer pending (an entry
-- published twice may have waited in the pending hash before its second copy came).
local published = {}
local anyPending = redis.call('HLEN', pending) > 0
local moved = false  -- the head moved: the stall marker, if any, is stale
local stalled = false
while true do
  local nextSeq = string.format('%d', head + 1)
  local i = given[head + 1]
  -- The pending hash is not read when it was empty at the start: this call adds to it last.
  local json = (not i) and anyPending and redis.call('HGET', pending, nextSeq)
  local voidTx = (not i) and (not json) and redis.call('HGET', void, nextSeq)
  if i then
    append(nextSeq, 'data', ARGV[i + 1], 'raw', ARGV[i + 2])
    given[head + 1] = nil
    givenCount = givenCount - 1
    table.insert(published, nextSeq)
    moved = true
    head = head + 1
  elseif json then
    local fields = {'data', json}
    -- An older engine's waiting entry: its root in the roots hash, its transaction as 0x hex (a
    -- signed transaction's bytes never start so: no transaction type is 0x30, RLP lists 0xc0 up).
    local root = redis.call('HGET', pendingRoot, nextSeq)
    if root then
      fields = {'type', 'preconfirmation', 'data', json, 'cm', root}
    end
    local tx = redis.call('HGET', pendingTx, nextSeq)
    if tx then
      table.insert(fields, string.sub(tx, 1, 2) == '0x' and 'tx' or 'raw')
      table.insert(fields, tx)
    end
    append(nextSeq, unpack(fields))
    table.insert(published, nextSeq)
    moved = true
    head = head + 1
  elseif voidTx then
    append(nextSeq, 'type', 'void', 'txHash', voidTx)
    moved = true
    head = head + 1
  else
    local waiting = anyPending and redis.call('HKEYS', pending) or {}
    if #waiting == 0 and givenCount == 0 then break end
    local since = moved and 0 or tonumber(redis.call('GET', stallKey) or '0')
    local now = nowMs()
    if since == 0 then
      redis.call('SET', stallKey, string.format('%d', now))
      stalled = true
      break
    end
    if now - since < gapWait then break end
    -- Waited long enough: skip to the lowest waiting sequence, leaving a gap before it.
    local lowest = nil
    for _, s in ipairs(waiting) do
      local n = tonumber(s)
      if not lowest or n < lowest then lowest = n end
    end
    for n in pairs(given) do
      if not lowest or n < lowest then lowest = n end
    end
    for s = head + 1, lowest - 1 do
      local skipped = string.format('%d', s)
      table.insert(published, skipped)
    end
    head = lowest - 1
    moved = true
  end
end

hdel(open, published)
if anyPending then
  hdel(pending, published)
  hdel(pendingTx, published)
  hdel(pendingRoot, published)
end
if moved and not stalled then redis.call('DEL', stallKey) end
for seq, i in pairs(given) do
  local s = string.format('%d', seq)
  redis.call('HSET', pending, s, ARGV[i + 1])
  redis.call('HSET', pendingTx, s, ARGV[i + 2])
end
for i = firstEntry, #ARGV, 4 do
  local ttl = ARGV[i + 3]
  if ttl ~= '0' then
    local cacheKey = KEYS[8 + commitments + (i - firstEntry) / 4 + 1]
    redis.call('SET', cacheKey, placed[i] and ('@' .. ARGV[i]) or ARGV[i + 1], 'PX', ttl)
  end
end
if head ~= startHead or redis.call('EXISTS', headKey) == 0 then
  redis.call('SET', headKey, string.format('%d', head))
end
return head
