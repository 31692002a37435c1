-- Claims lane positions for every leg of several requests (groups), in one atomic step, and, for a
-- rollup whose senders are checked on its node, reserves each leg's nonce and cost in the same step
-- (the rules are SenderBook's in the core, word for word). The groups are judged one after the
-- other, each as if it were a call of its own: a later group sees what earlier ones took.
--
-- KEYS, 6 per leg:  lane, tx, nonce, slot, pos, held; then the live key of the claiming process
--   lane   hash {seq, tx, at}: the lane head (last sequence, its tx hash, its receivedAt)
--   tx     hash {seq, sender, nonce, slot, gas, at, holder}: the position this tx holds, and the
--          id of the process that claimed it (LaneHolders: whether that process still lives)
--   nonce  string "<txHash>:<seq>": the tx holding (chain, sender, nonce)
--   slot   hash {n, gas}: what the (earliest) target slot has promised so far; the keys of the
--          later slots a leg may take instead are named alike, '<prefix><slot>'
--   pos    hash seq -> txHash: positions assigned but not yet in the feed log
--   held   hash nonce -> "<txHash> <seq> <cost> <until>": the sender's promises reserving a nonce
--          and a cost (wei, decimal) until a time (unix ms)
-- ARGV: the number of groups, slot ttl in seconds (0 = none), deadline (unix ms), claim ttl in
-- seconds (0 = none: how long the tx and nonce keys live; past it PostgreSQL's unique constraints
-- are what refuses a second promise), the claiming process's id and how long its live key lasts
-- (ms; the claim marks what it assigns as that process's, in the same step, and renews the live key
-- when less than half of it is left), then 2 per group:
-- atomic ('1'/'0') and its number of legs,
-- then 15 per leg, the groups' legs one group after the other:
--   chainId, txHash, sender, nonce, gasLimit, targetSlot, maxPerSlot, maxGasPerSlot,
--   then the sender's state on the node, or six empty strings for a rollup not checked there:
--   node nonce, balance, base fee by the target slot, max fee per gas, cost, hold ms
--   (amounts in wei, decimal), then lastSlot: the leg takes the earliest slot from targetSlot to
--   lastSlot with room
--
-- Returns {'LATE'} when the script runs after the caller's deadline: the caller has already
-- reported a failure, so nothing may be assigned that nobody will sign or release.
-- Returns {'UNSEEDED', chainId...} when a lane head is missing (a fresh lane, or Redis lost its
-- data): the caller restores it from the durable store and retries, so that no sequence is ever
-- handed out twice. Otherwise {'OK', outcome...} with one outcome per leg, in leg order:
--   {'ASSIGNED', seq, previous, receivedAt, slot} | {'HELD'} | {'REFUSED', reason, message} |
--   {'SKIPPED'}
local groups = tonumber(ARGV[1])
local slotTtl = tonumber(ARGV[2])
local deadline = tonumber(ARGV[3])
local claimTtl = tonumber(ARGV[4])
local holderId = ARGV[5]
local liveMs = ARGV[6]
local legs = (#KEYS - 1) / 6
local liveKey = KEYS[#KEYS]
local legArgs = 6 + 2 * groups

local function key(i, k) return KEYS[(i - 1) * 6 + k] end
local function arg(i, k) return ARGV[legArgs + (i - 1) * 15 + k] end
local function int(x) return string.format('%d', x) end

-- Wei amounts exceed what a Lua number holds exactly: they travel as decimal strings without
-- leading zeros, added 14 digits at a time (a sum of two such chunks stays below 2^53).
local function cmp(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  if a == b then return 0 end
  return a < b and -1 or 1
end

local function add(a, b)
  local out, carry, i, j = {}, 0, #a, #b
  while i > 0 or j > 0 do
    local x = i > 0 and tonumber(string.sub(a, math.max(1, i - 13), i)) or 0
    local y = j > 0 and tonumber(string.sub(b, math.max(1, j - 13), j)) or 0
    local s = x + y + carry
    carry = s >= 1e14 and 1 or 0
    table.insert(out, 1, string.format('%014d', s - carry * 1e14))
    i, j = i - 14, j - 14
  end
  if carry > 0 then table.insert(out, 1, '1') end
  local sum = string.gsub(table.concat(out), '^0+', '')
  return sum == '' and '0' or sum
end

-- The server's clock, so that every engine process stamps the same lane from one clock; kept
-- non-decreasing per lane below in case the server's clock steps back.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if now > deadline then
  return {'LATE'}
end

local unseeded = {}
local seen = {}
for i = 1, legs do
  local laneKey = key(i, 1)
  if not seen[laneKey] then
    seen[laneKey] = true
    if redis.call('EXISTS', laneKey) == 0 then
      table.insert(unseeded, arg(i, 1))
    end
  end
end
if #unseeded > 0 then
  table.insert(unseeded, 1, 'UNSEEDED')
  return unseeded
end

local books = {}
-- Whether any leg was assigned: the claiming process is then marked alive.
local assignedAny = false

-- Each lane head, slot count and open-positions hash is written once for the whole call, after
-- every group, from what the groups read and added (a write per group cost a round of single
-- requests one of each per request): nothing else runs in between, and a later group reads what
-- earlier ones took from these tables, not from Redis. slotState holds the slots' counts as the
-- groups committed them; a group judges on a copy, dropped if it is refused whole.
local lanes, laneOrder = {}, {}
local slotState, slotOrder = {}, {}
local opened, openOrder = {}, {}

-- The open promises of a leg's sender (nil for a rollup not checked on its node): those whose
-- nonce the node's has not passed and whose hold has not lapsed. Read once per sender and request,
-- so that legs of one request count each other. Spent ones are dropped: lapsed, or more than
-- SenderBook.PASSED_KEPT (64) below the node's nonce; the few just passed stay, for a reading a
-- little behind this one, or a reorg, to count again.
local function book(i)
  if arg(i, 9) == '' then return nil end
  local heldKey = key(i, 6)
  local b = books[heldKey]
  if b then return b end
  b = {nodeNonce = tonumber(arg(i, 9)), balance = arg(i, 10), open = {}, cost = '0', count = 0}
  local stored = redis.call('HGETALL', heldKey)
  local spent = {}
  for j = 1, #stored, 2 do
    local n = tonumber(stored[j])
    local tx, seq, cost, untilMs = string.match(stored[j + 1], '^(%S+) (%S+) (%S+) (%S+)$')
    if n >= b.nodeNonce and tonumber(untilMs) >= now then
      b.open[n] = {tx, seq}
      b.cost = add(b.cost, cost)
      b.count = b.count + 1
    elseif tonumber(untilMs) < now or n < b.nodeNonce - 64 then
      table.insert(spent, stored[j])
    end
  end
  if #spent > 0 then redis.call('HDEL', heldKey, unpack(spent)) end
  books[heldKey] = b
  return b
end

-- SenderBook.judge: the refusal of leg i by its sender's nonce, fee and balance, or nil.
local function judge(i, b)
  if not b then return nil end
  local chain, tx, sender, nonce = arg(i, 1), arg(i, 2), arg(i, 3), arg(i, 4)
  local n = tonumber(nonce)
  local whose = 'sender ' .. sender .. ' nonce ' .. nonce .. ' on chain ' .. chain
  if n < b.nodeNonce then
    return {'REFUSED', 'NONCE_TOO_LOW',
      whose .. ' is below its nonce ' .. int(b.nodeNonce) .. " on the rollup's node"}
  end
  local holder = b.open[n]
  if holder and holder[1] == tx then
    -- Its own reservation: its claim lapsed before it, and it is submitted again.
    return nil
  end
  if holder then
    return {'REFUSED', 'NONCE_CONFLICT',
      whose .. ' is already preconfirmed by tx ' .. holder[1] .. ' at sequence ' .. holder[2]}
  end
  local nextNonce = b.nodeNonce
  while b.open[nextNonce] do nextNonce = nextNonce + 1 end
  if n > nextNonce then
    return {'REFUSED', 'NONCE_GAP',
      whose .. ' leaves a gap: its next nonce is ' .. int(nextNonce) .. ' (' ..
      int(b.nodeNonce) .. " on the rollup's node, then " .. int(nextNonce - b.nodeNonce) ..
      ' promised and not yet included)'}
  end
  local baseFee, maxFee, cost = arg(i, 11), arg(i, 12), arg(i, 13)
  if cmp(maxFee, baseFee) < 0 then
    return {'REFUSED', 'BASE_FEE_TOO_LOW',
      'tx ' .. tx .. ' on chain ' .. chain .. ' pays at most ' .. maxFee ..
      ' wei per gas, below the base fee of ' .. baseFee ..
      " wei the rollup's node may reach by slot " .. arg(i, 6)}
  end
  local needed = add(b.cost, cost)
  if cmp(needed, b.balance) > 0 then
    return {'REFUSED', 'INSUFFICIENT_BALANCE',
      'sender ' .. sender .. ' on chain ' .. chain .. ' needs up to ' .. needed .. ' wei (' ..
      cost .. ' for tx ' .. tx .. ', ' .. b.cost .. ' for ' .. int(b.count) ..
      ' promised and not yet included), above its balance of ' .. b.balance ..
      " wei on the rollup's node"}
  end
  return nil
end

-- One group, legs first to last: its outcomes, by leg.
local function claimGroup(first, last, atomic)
-- Check every leg before writing anything, counting what earlier legs of this same request
-- would take, so that two legs can conflict with each other as they would across requests.
local outcome = {}
local accepted = {}
local takenTx = {}
local takenNonce = {}
local slotUse = {}
local chosenSlot = {}
local refused = false
for i = first, last do
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
      outcome[i] = judge(i, book(i))
    end
    if not outcome[i] then
      -- The earliest slot of the leg's range with room for it, counting earlier legs' takes.
      local first, last = tonumber(slot), tonumber(arg(i, 15))
      local prefix = string.match(slotKey, '^(.*:)%d+$')
      local chosen, use
      for s = first, last do
        local k = s == first and slotKey or prefix .. int(s)
        local u = slotUse[k]
        if not u then
          local committed = slotState[k]
          if committed then
            u = {committed[1], committed[2]}
          else
            local stored = redis.call('HMGET', k, 'n', 'gas')
            u = {tonumber(stored[1] or '0'), tonumber(stored[2] or '0')}
          end
          slotUse[k] = u
        end
        if u[1] + 1 <= maxPer and u[2] + gas <= maxGas then
          chosen, use = s, u
          break
        end
        use = use or u
      end
      if not chosen and last > first then
        outcome[i] = {'REFUSED', 'SLOT_CAPACITY_EXCEEDED',
          'no slot from ' .. slot .. ' to ' .. int(last) .. ' on chain ' .. chain ..
          ' has room for tx ' .. tx .. ' (' .. int(gas) .. ' gas; ' .. int(maxPer) ..
          ' preconfirmations and ' .. int(maxGas) .. ' gas per slot)'}
      elseif not chosen and use[1] + 1 > maxPer then
        outcome[i] = {'REFUSED', 'SLOT_CAPACITY_EXCEEDED',
          'slot ' .. slot .. ' on chain ' .. chain .. ' already holds ' .. int(use[1]) ..
          ' of its ' .. int(maxPer) .. ' preconfirmations'}
      elseif not chosen then
        outcome[i] = {'REFUSED', 'SLOT_CAPACITY_EXCEEDED',
          'tx ' .. tx .. ' needs ' .. int(gas) .. ' gas but slot ' .. slot .. ' on chain ' ..
          chain .. ' has ' .. int(maxGas - use[2]) .. ' of its ' .. int(maxGas) .. ' gas left'}
      else
        use[1] = use[1] + 1
        use[2] = use[2] + gas
        chosenSlot[i] = chosen
        takenTx[txKey] = true
        takenNonce[nonceKey] = tx
        accepted[i] = true
        local b = book(i)
        if b and not (b.open[tonumber(nonce)] and b.open[tonumber(nonce)][1] == tx) then
          b.open[tonumber(nonce)] = {tx, '0'}
          b.cost = add(b.cost, arg(i, 13))
          b.count = b.count + 1
        end
      end
    end
  end
  if outcome[i] and outcome[i][1] == 'REFUSED' then refused = true end
end

if atomic and refused then
  for i = first, last do
    if accepted[i] then outcome[i] = {'SKIPPED'} end
  end
  return outcome
end

-- The writes: each leg's own keys now, the lanes, slots and open positions into the tables above.
for i = first, last do
  if accepted[i] then
    local laneKey, txKey, nonceKey, posKey = key(i, 1), key(i, 2), key(i, 3), key(i, 5)
    local tx, sender, nonce, gas = arg(i, 2), arg(i, 3), arg(i, 4), arg(i, 5)
    local slot = int(chosenSlot[i])
    local slotKey = string.match(key(i, 4), '^(.*:)%d+$') .. slot
    local lane = lanes[laneKey]
    if not lane then
      local head = redis.call('HMGET', laneKey, 'seq', 'tx', 'at')
      lane = {seq = tonumber(head[1] or '0'), tx = head[2], at = tonumber(head[3] or '0')}
      lanes[laneKey] = lane
      table.insert(laneOrder, laneKey)
    end
    local previous = lane.tx
    local at = math.max(now, lane.at)
    local seq = lane.seq + 1
    lane.seq, lane.tx, lane.at = seq, tx, at
    redis.call('HSET', txKey, 'seq', int(seq), 'sender', sender, 'nonce', nonce, 'slot', slot,
      'gas', gas, 'at', int(at), 'holder', holderId)
    assignedAny = true
    if claimTtl > 0 then
      redis.call('EXPIRE', txKey, claimTtl)
      redis.call('SET', nonceKey, tx .. ':' .. int(seq), 'EX', claimTtl)
    else
      redis.call('SET', nonceKey, tx .. ':' .. int(seq))
    end
    if not slotState[slotKey] then
      table.insert(slotOrder, slotKey)
    end
    slotState[slotKey] = slotUse[slotKey]
    if not opened[posKey] then
      opened[posKey] = {}
      table.insert(openOrder, posKey)
    end
    table.insert(opened[posKey], int(seq))
    table.insert(opened[posKey], tx)
    local b = book(i)
    if b and not (b.open[tonumber(nonce)] and b.open[tonumber(nonce)][2] ~= '0') then
      local heldKey, holdMs = key(i, 6), tonumber(arg(i, 14))
      redis.call('HSET', heldKey, nonce,
        tx .. ' ' .. int(seq) .. ' ' .. arg(i, 13) .. ' ' .. int(at + holdMs))
      if redis.call('PTTL', heldKey) < holdMs then redis.call('PEXPIRE', heldKey, holdMs) end
    end
    outcome[i] = {'ASSIGNED', seq, previous, at, slot}
  end
end
return outcome
end

-- Each group reads its senders' books afresh, so that it sees what the groups before it reserved.
local answer = {'OK'}
local first = 1
for g = 1, groups do
  local atomic = ARGV[6 + 2 * g - 1] == '1'
  local last = first + tonumber(ARGV[6 + 2 * g]) - 1
  books = {}
  local outcome = claimGroup(first, last, atomic)
  for i = first, last do table.insert(answer, outcome[i]) end
  first = last + 1
end
for _, k in ipairs(laneOrder) do
  local lane = lanes[k]
  redis.call('HSET', k, 'seq', int(lane.seq), 'tx', lane.tx, 'at', int(lane.at))
end
-- A slot's counts live slotTtl from the claim that first wrote them: each write is an AOF append,
-- and a slot is claimed only within the lookahead window before it, which slotTtl outlasts.
for _, k in ipairs(slotOrder) do
  redis.call('HSET', k, 'n', int(slotState[k][1]), 'gas', int(slotState[k][2]))
  if slotTtl > 0 and redis.call('PTTL', k) < 0 then redis.call('EXPIRE', k, slotTtl) end
end
for _, k in ipairs(openOrder) do
  local fields = opened[k]
  for from = 1, #fields, 1000 do
    redis.call('HSET', k, unpack(fields, from, math.min(#fields, from + 999)))
  end
end
-- The process's heartbeat renews its live key every third of liveMs, so the claim renews it only
-- when the heartbeat has fallen behind (less than half of liveMs left): what it assigns is then
-- the process's for at least half of liveMs, and a claim in the usual case writes nothing more.
if assignedAny and redis.call('PTTL', liveKey) < tonumber(liveMs) / 2 then
  redis.call('SET', liveKey, '1', 'PX', liveMs)
end
return answer
