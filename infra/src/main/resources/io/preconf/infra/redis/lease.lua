-- Holds a lease: takes it when nobody holds it, extends it when the caller holds it already.
--
-- KEYS: the lease.  ARGV: holder, time to live in ms.
-- Returns 1 when the caller holds the lease for the time to live from now, 0 when another does.
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
