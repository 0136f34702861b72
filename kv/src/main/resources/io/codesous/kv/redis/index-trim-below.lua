-- indexTrimBelow: remove the members of a sorted index scored below a bound, lowest first, at most a limit.
--
-- KEYS[1]  the index
-- ARGV[1]  the bound (exclusive), an integer
-- ARGV[2]  the most members to remove (1 to 1000: ZREM takes them as arguments)
--
-- Returns how many members were removed; fewer than the limit means none below the bound is left.
-- A ZREM that empties the index removes its key, as Redis does for every emptied sorted set.

local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #members == 0 then
  return 0
end
return redis.call('ZREM', KEYS[1], unpack(members))
