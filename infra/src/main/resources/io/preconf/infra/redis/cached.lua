-- Reads an issued preconfirmation's cache entry: its JSON, as the cache holds it or, for an entry
-- publish.lua wrote as "@<seq>", as the lane's feed log holds it at that sequence (in the stream,
-- or in the pending hash while it waits for an earlier sequence). Nil when there is no entry, or
-- when the feed entry it names is gone (trimmed): the durable store answers then.
--
-- KEYS: cache entry, the lane's stream, its pending hash.
local value = redis.call('GET', KEYS[1])
if not value or string.sub(value, 1, 1) ~= '@' then
  return value
end
local seq = string.sub(value, 2)
local found = redis.call('XRANGE', KEYS[2], seq .. '-0', seq .. '-0')
if #found == 0 then
  return redis.call('HGET', KEYS[3], seq)
end
local fields = found[1][2]
for j = 1, #fields, 2 do
  if fields[j] == 'data' then
    return fields[j + 1]
  end
end
return false
