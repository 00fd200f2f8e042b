"""The Lua scripts of :mod:`bot.rasa_plugins.stores.redis_lock_store`: each change of a lock in
one step.

Redis runs a script without interleaving any other command, so two Rasa
processes changing one conversation's lock cannot lose each other's tickets.
The lock keeps Rasa's key and JSON (``TicketLock.dumps()``); every script drops
expired tickets, deletes an empty lock and sets the key's TTL to its newest
ticket's expiry.
"""

# KEYS[1]: the lock. ARGV[1]: now; ARGV[2]: the conversation id as JSON.
_LOCK_FUNCTIONS = """
local function read_live_tickets(now)
  local live, highest = {}, -1
  local stored = redis.call('GET', KEYS[1])
  if stored then
    for _, encoded in ipairs(cjson.decode(stored)['tickets']) do
      local ticket = cjson.decode(encoded)
      highest = math.max(highest, ticket['number'])
      if ticket['expires'] >= now then
        table.insert(live, {encoded = encoded, number = ticket['number'],
                            expires = ticket['expires']})
      end
    end
  end
  return live, highest
end

local function write_lock(tickets, now)
  if #tickets == 0 then
    redis.call('DEL', KEYS[1])
    return 0
  end
  local encoded, newest = {}, now
  for index, ticket in ipairs(tickets) do
    encoded[index] = cjson.encode(ticket.encoded)
    newest = math.max(newest, ticket.expires)
  end
  local lock = '{"conversation_id": ' .. ARGV[2] .. ', "tickets": ['
    .. table.concat(encoded, ', ') .. ']}'
  redis.call('SET', KEYS[1], lock, 'PX', math.max(1, math.ceil((newest - now) * 1000)))
  return #tickets
end
"""

# ARGV[3]: the new ticket's expiry, written as Python's json writes it.
# Returns the new ticket's number, the number now served (the first live ticket's)
# and the lock as stored.
ISSUE_SCRIPT = (
    _LOCK_FUNCTIONS
    + """
local now = tonumber(ARGV[1])
local tickets, highest = read_live_tickets(now)
local number = highest + 1
table.insert(tickets, {number = number, expires = tonumber(ARGV[3]),
  encoded = '{"number": ' .. number .. ', "expires": ' .. ARGV[3] .. '}'})
write_lock(tickets, now)
return {number, tickets[1].number, redis.call('GET', KEYS[1])}
"""
)

# Drops expired tickets. Returns the number now served and the lock, or nothing if it is gone.
PEEK_SCRIPT = (
    _LOCK_FUNCTIONS
    + """
local live = read_live_tickets(tonumber(ARGV[1]))
if write_lock(live, tonumber(ARGV[1])) == 0 then
  return false
end
return {live[1].number, redis.call('GET', KEYS[1])}
"""
)

# ARGV[3]: the number of the ticket to remove (-1: none); ARGV[4]: its expiry, '' if unknown.
# Returns how many live tickets remain.
RELEASE_SCRIPT = (
    _LOCK_FUNCTIONS
    + """
local now = tonumber(ARGV[1])
local live = read_live_tickets(now)
local remaining = {}
for _, ticket in ipairs(live) do
  local ours = ticket.number == tonumber(ARGV[3])
    and (ARGV[4] == '' or ticket.expires == tonumber(ARGV[4]))
  if not ours then
    table.insert(remaining, ticket)
  end
end
return write_lock(remaining, now)
"""
)

# ARGV[3]: the ticket's number; ARGV[4]: its expiry as stored; ARGV[5]: its new expiry.
# Returns 1 if the ticket was still there and now expires at ARGV[5], else 0.
RENEW_SCRIPT = (
    _LOCK_FUNCTIONS
    + """
local now = tonumber(ARGV[1])
local live = read_live_tickets(now)
local renewed = 0
for _, ticket in ipairs(live) do
  if ticket.number == tonumber(ARGV[3]) and ticket.expires == tonumber(ARGV[4]) then
    ticket.expires = tonumber(ARGV[5])
    ticket.encoded = '{"number": ' .. ARGV[3] .. ', "expires": ' .. ARGV[5] .. '}'
    renewed = 1
  end
end
write_lock(live, now)
return renewed
"""
)
