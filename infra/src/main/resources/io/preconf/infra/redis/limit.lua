-- Counts uses in fixed windows: the first use of a window starts its clock. Several subjects, each
-- under its own limit, are counted in one atomic step, so that a round of requests costs one call.
--
-- KEYS: the subjects' counts.  ARGV: for each key in turn, its uses, the most uses per window and
-- the window in ms.
-- Returns for each key 0 when its uses fit in the window, else the ms until the window ends.
local waits = {}
for i, key in ipairs(KEYS) do
  local base = (i - 1) * 3
  local n = redis.call('INCRBY', key, ARGV[base + 1])
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[base + 3])
    ttl = tonumber(ARGV[base + 3])
  end
  if n > tonumber(ARGV[base + 2]) then
    waits[i] = ttl
  else
    waits[i] = 0
  end
end
return waits
