-- Counts uses in a fixed window: the first use of a window starts its clock.
--
-- KEYS: the subject's count.  ARGV: uses, the most uses per window, window in ms.
-- Returns 0 when the uses fit in the window, else the ms until the window ends.
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
if n > tonumber(ARGV[2]) then
  return ttl
end
return 0
