-- Gives a lease up, only when the caller holds it (a lease that ran out may be another's now).
--
-- KEYS: the lease.  ARGV: holder.  Returns 1 when released.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
