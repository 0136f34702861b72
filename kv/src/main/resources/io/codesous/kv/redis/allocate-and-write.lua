-- allocateAndWrite: take the counter's next number, substitute it into the writes, and apply them
-- all, or change nothing at all (the counter included) when a create-only key is present.
--
-- KEYS[1]  the counter
-- ARGV[1]  the token to replace with the number (KvWrite.SEQ)
-- ARGV[2]  how many writes follow; then four arguments per write:
--            key template, value, '1' overwrite / '0' create-only, '1' value is a template / '0' literal
--
-- Returns the allocated number as decimal text.
-- Errors (nothing has been changed when one is returned):
--   'CS_CONFLICT <key>'     a create-only key is present
--   'CS_WRONGTYPE <key>'    the counter or a written key holds something other than a string
--   'CS_NOT_INTEGER <key>'  the counter is not a decimal integer
--   'CS_OVERFLOW <key>'     the counter is at the largest 64-bit integer
--
-- Written keys are derived from the number, so they cannot be declared in KEYS: this script needs
-- one keyspace (a standalone Redis or KVRocks, not a Redis Cluster).

local INT64_MAX = '9223372036854775807'
local INT64_MIN_MAGNITUDE = '9223372036854775808'

-- The type of whatever the key holds: 'none' when absent or expired, 'string' for a value.
local function type_of(key)
  return redis.call('TYPE', key).ok
end

-- Replaces every occurrence of token, as Java's String.replace does: plain text, not a pattern.
local function substitute(text, token, replacement)
  local parts, from = {}, 1
  while true do
    local at = string.find(text, token, from, true)
    if not at then
      break
    end
    parts[#parts + 1] = string.sub(text, from, at - 1)
    parts[#parts + 1] = replacement
    from = at + #token
  end
  parts[#parts + 1] = string.sub(text, from)
  return table.concat(parts)
end

-- True when decimal digits a (no leading zeros) do not exceed digits b.
local function at_most(a, b)
  return #a < #b or (#a == #b and a <= b)
end

local function plus_one(digits)
  local i = #digits
  while i > 0 and string.sub(digits, i, i) == '9' do
    i = i - 1
  end
  if i == 0 then
    return '1' .. string.rep('0', #digits)
  end
  return string.sub(digits, 1, i - 1) .. string.char(string.byte(digits, i) + 1)
    .. string.rep('0', #digits - i)
end

local function minus_one(digits)
  local i = #digits
  while string.sub(digits, i, i) == '0' do
    i = i - 1
  end
  local result = string.sub(digits, 1, i - 1) .. string.char(string.byte(digits, i) - 1)
    .. string.rep('9', #digits - i)
  result = (string.gsub(result, '^0+', ''))
  if result == '' then
    return '0'
  end
  return result
end

-- The counter's next value, computed on its decimal text because Lua numbers are doubles, exact
-- only up to 2^53. Accepts what INCR accepts. Returns the value, or nil and an error code.
local function next_count(text)
  if not text then
    return '1'
  end
  if text == '0' then
    return '1'
  end
  local negative = string.sub(text, 1, 1) == '-'
  local digits = negative and string.sub(text, 2) or text
  if not string.find(digits, '^[1-9]%d*$') then
    return nil, 'CS_NOT_INTEGER'
  end
  if negative then
    if not at_most(digits, INT64_MIN_MAGNITUDE) then
      return nil, 'CS_NOT_INTEGER'
    end
    local magnitude = minus_one(digits)
    return magnitude == '0' and '0' or '-' .. magnitude
  end
  if not at_most(digits, INT64_MAX) then
    return nil, 'CS_NOT_INTEGER'
  end
  if digits == INT64_MAX then
    return nil, 'CS_OVERFLOW'
  end
  return plus_one(digits)
end

local counter = KEYS[1]
local token = ARGV[1]
local write_count = tonumber(ARGV[2])

local counter_type = type_of(counter)
if counter_type ~= 'none' and counter_type ~= 'string' then
  return redis.error_reply('CS_WRONGTYPE ' .. counter)
end
local seq, problem = next_count(redis.call('GET', counter))
if not seq then
  return redis.error_reply(problem .. ' ' .. counter)
end

-- Every check runs before the first change, so an error leaves everything as it was.
local writes = {}
for i = 0, write_count - 1 do
  local base = 3 + i * 4
  local key = substitute(ARGV[base], token, seq)
  local value = ARGV[base + 1]
  if ARGV[base + 3] == '1' then
    value = substitute(value, token, seq)
  end
  local key_type = type_of(key)
  if key_type ~= 'none' and key_type ~= 'string' then
    return redis.error_reply('CS_WRONGTYPE ' .. key)
  end
  if key_type ~= 'none' and ARGV[base + 2] == '0' then
    return redis.error_reply('CS_CONFLICT ' .. key)
  end
  writes[#writes + 1] = { key, value }
end

-- The counter keeps any expiry it has, as INCR would; the writes carry none.
redis.call('SET', counter, seq, 'KEEPTTL')
for _, write in ipairs(writes) do
  redis.call('SET', write[1], write[2])
end
return seq
