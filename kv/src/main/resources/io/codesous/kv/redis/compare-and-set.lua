-- compareAndSet: replace a value only when it is the one the caller last read.
--
-- KEYS[1]  the key
-- ARGV[1]  '1' when an expected value is given, '0' when the key must be absent
-- ARGV[2]  the expected value ('' when ARGV[1] is '0')
-- ARGV[3]  the update
--
-- Returns 1 when the update was written, 0 when the current value did not match.
-- Errors: 'CS_WRONGTYPE <key>' when the key holds something other than a string.

local key = KEYS[1]
local current = redis.pcall('GET', key)
if type(current) == 'table' and current.err then
  if string.find(current.err, 'WRONGTYPE', 1, true) then
    return redis.error_reply('CS_WRONGTYPE ' .. key)
  end
  return current
end

if ARGV[1] == '0' then
  if current then
    return 0
  end
  -- Created from absent: like every write without a ttl, it never expires.
  redis.call('SET', key, ARGV[3])
  return 1
end

if current ~= ARGV[2] then
  return 0
end
-- A compare-and-set changes the value, never the deadline the key was created with.
redis.call('SET', key, ARGV[3], 'KEEPTTL')
return 1
