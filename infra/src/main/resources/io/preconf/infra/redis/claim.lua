-- Claims lane positions for every leg of one request, in one atomic step.
--
-- KEYS, 5 per leg:  lane, tx, nonce, slot, pos
--   lane   hash {seq, tx, at}: the lane head (last sequence, its tx hash, its receivedAt)
--   tx     hash {seq, sender, nonce, slot, gas, at}: the position this tx holds
--   nonce  string "<txHash>:<seq>": the tx holding (chain, sender, nonce)
--   slot   hash {n, gas}: what the target slot has promised so far
--   pos    hash seq -> txHash: positions assigned but not yet in the feed log
-- ARGV: atomic ('1'/'0'), slot ttl in seconds (0 = none), deadline (unix ms), claim ttl in
-- seconds (0 = none: how long the tx and nonce keys live; past it PostgreSQL's unique constraints
-- are what refuses a second promise), then 8 per leg:
--   chainId, txHash, sender, nonce, gasLimit, targetSlot, maxPerSlot, maxGasPerSlot
--
-- Returns {'LATE'} when the script runs after the caller's deadline: the caller has already
-- reported a failure, so nothing may be assigned that nobody will sign or release.
-- Returns {'UNSEEDED', chainId...} when a lane head is missing (a fresh lane, or Redis lost its
-- data): the caller restores it from the durable store and retries, so that no sequence is ever
-- handed out twice. Otherwise {'OK', outcome...} with one outcome per leg:
--   {'ASSIGNED', seq, previous, receivedAt} | {'HELD'} | {'REFUSED', reason, message} | {'SKIPPED'}
local atomic = ARGV[1] == '1'
local slotTtl = tonumber(ARGV[2])
local deadline = tonumber(ARGV[3])
local claimTtl = tonumber(ARGV[4])
local legs = #KEYS / 5

local function key(i, k) return KEYS[(i - 1) * 5 + k] end
local function arg(i, k) return ARGV[4 + (i - 1) * 8 + k] end
local function int(x) return string.format('%d', x) end

-- The server's clock, so that every engine process stamps the same lane from one clock; kept
-- non-decreasing per lane below in case the server's clock steps back.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > deadline then
  return {'LATE'}
end

local unseeded = {}
for i = 1, legs do
  if redis.call('EXISTS', key(i, 1)) == 0 then
    table.insert(unseeded, arg(i, 1))
  end
end
if #unseeded > 0 then
  table.insert(unseeded, 1, 'UNSEEDED')
  return unseeded
end

-- Check every leg before writing anything, counting what earlier legs of this same request
-- would take, so that two legs can conflict with each other as they would across requests.
local outcome = {}
local accepted = {}
local takenTx = {}
local takenNonce = {}
local slotUse = {}
local refused = false
for i = 1, legs do
  local chain, tx, sender, nonce = arg(i, 1), arg(i, 2), arg(i, 3), arg(i, 4)
  local gas, slot = tonumber(arg(i, 5)), arg(i, 6)
  local maxPer, maxGas = tonumber(arg(i, 7)), tonumber(arg(i, 8))
  local txKey, nonceKey, slotKey = key(i, 2), key(i, 3), key(i, 4)
  if redis.call('EXISTS', txKey) == 1 then
    outcome[i] = {'HELD'}
  elseif takenTx[txKey] then
    outcome[i] = {'REFUSED', 'DUPLICATE_IN_REQUEST',
      'tx ' .. tx .. ' on chain ' .. chain .. ' appears more than once in this request'}
  else
    local holder = redis.call('GET', nonceKey)
    local within = takenNonce[nonceKey]
    if holder then
      local sep = string.find(holder, ':', 1, true)
      outcome[i] = {'REFUSED', 'NONCE_CONFLICT',
        'sender ' .. sender .. ' nonce ' .. nonce .. ' on chain ' .. chain ..
        ' is already preconfirmed by tx ' .. string.sub(holder, 1, sep - 1) ..
        ' at sequence ' .. string.sub(holder, sep + 1)}
    elseif within then
      outcome[i] = {'REFUSED', 'NONCE_CONFLICT',
        'sender ' .. sender .. ' nonce ' .. nonce .. ' on chain ' .. chain ..
        ' is already claimed by tx ' .. within .. ' earlier in this request'}
    else
      local use = slotUse[slotKey]
      if not use then
        local stored = redis.call('HMGET', slotKey, 'n', 'gas')
        use = {tonumber(stored[1] or '0'), tonumber(stored[2] or '0')}
        slotUse[slotKey] = use
      end
      if use[1] + 1 > maxPer then
        outcome[i] = {'REFUSED', 'SLOT_CAPACITY_EXCEEDED',
          'slot ' .. slot .. ' on chain ' .. chain .. ' already holds ' .. int(use[1]) ..
          ' of its ' .. int(maxPer) .. ' preconfirmations'}
      elseif use[2] + gas > maxGas then
        outcome[i] = {'REFUSED', 'SLOT_CAPACITY_EXCEEDED',
          'tx ' .. tx .. ' needs ' .. int(gas) .. ' gas but slot ' .. slot .. ' on chain ' ..
          chain .. ' has ' .. int(maxGas - use[2]) .. ' of its ' .. int(maxGas) .. ' gas left'}
      else
        use[1] = use[1] + 1
        use[2] = use[2] + gas
        takenTx[txKey] = true
        takenNonce[nonceKey] = tx
        accepted[i] = true
      end
    end
  end
  if outcome[i] and outcome[i][1] == 'REFUSED' then refused = true end
end

if atomic and refused then
  for i = 1, legs do
    if accepted[i] then outcome[i] = {'SKIPPED'} end
  end
  table.insert(outcome, 1, 'OK')
  return outcome
end

for i = 1, legs do
  if accepted[i] then
    local laneKey, txKey, nonceKey, slotKey, posKey =
      key(i, 1), key(i, 2), key(i, 3), key(i, 4), key(i, 5)
    local tx, sender, nonce, gas, slot = arg(i, 2), arg(i, 3), arg(i, 4), arg(i, 5), arg(i, 6)
    local head = redis.call('HMGET', laneKey, 'tx', 'at')
    local at = math.max(now, tonumber(head[2] or '0'))
    local seq = redis.call('HINCRBY', laneKey, 'seq', 1)
    redis.call('HSET', laneKey, 'tx', tx, 'at', int(at))
    redis.call('HSET', txKey, 'seq', seq, 'sender', sender, 'nonce', nonce, 'slot', slot,
      'gas', gas, 'at', int(at))
    redis.call('SET', nonceKey, tx .. ':' .. seq)
    if claimTtl > 0 then
      redis.call('EXPIRE', txKey, claimTtl)
      redis.call('EXPIRE', nonceKey, claimTtl)
    end
    redis.call('HINCRBY', slotKey, 'n', 1)
    redis.call('HINCRBY', slotKey, 'gas', gas)
    if slotTtl > 0 then redis.call('EXPIRE', slotKey, slotTtl) end
    redis.call('HSET', posKey, seq, tx)
    outcome[i] = {'ASSIGNED', seq, head[1], at}
  end
end
table.insert(outcome, 1, 'OK')
return outcome
