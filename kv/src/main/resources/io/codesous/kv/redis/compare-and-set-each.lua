-- compareAndSetEach: compare-and-set.lua for many keys, judged one by one in order, as one script.
--
-- KEYS[i]          the key of swap i
-- ARGV[3i-2]       '1' when swap i gives an expected value, '0' when its key must be absent
-- ARGV[3i-1]       the expected value of swap i ('' when ARGV[3i-2] is '0')
-- ARGV[3i]         the update of swap i
--
-- Returns one integer per swap: 1 when its update was written, 0 when the current value did not match.
-- Errors: 'CS_WRONGTYPE <key>' when a key holds something other than a string; every key is read before anything
-- is written, so a refused batch writes nothing.

local current = {}
for i, key in ipairs(KEYS) do
  if current[key] == nil then
    local value = redis.pcall('GET', key)
    if type(value) == 'table' and value.err then
      if string.find(value.err, 'WRONGTYPE', 1, true) then
        return redis.error_reply('CS_WRONGTYPE ' .. key)
      end
      return value
    end
    -- false for an absent key, so that it is not read again
    current[key] = value
  end
end

local written = {}
for i, key in ipairs(KEYS) do
  local wants = ARGV[3 * i - 2]
  local now = current[key]
  local update = ARGV[3 * i]
  if wants == '0' then
    if now then
      written[i] = 0
    else
      -- Created from absent: like every write without a ttl, it never expires.
      redis.call('SET', key, update)
      current[key] = update
      written[i] = 1
    end
  elseif now ~= ARGV[3 * i - 1] then
    written[i] = 0
  else
    -- A compare-and-set changes the value, never the deadline the key was created with.
    redis.call('SET', key, update, 'KEEPTTL')
    current[key] = update
    written[i] = 1
  end
end
return written
