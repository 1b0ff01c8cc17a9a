-- wrk script for bench_log_submit.py: every thread posts the log form as one signed-in
-- practitioner (cookie and CSRF token handed over by the Python side), each with a new
-- submission key, so every request is a new log.
local cookies, tokens = {}, {}
local counter = 0

function setup(thread)
  counter = counter + 1
  local i = ((counter - 1) % #SESSIONS) + 1
  thread:set("cookie", SESSIONS[i][1])
  thread:set("token", SESSIONS[i][2])
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() + id * 7919)
end

local function key()
  return string.format("%08x%08x%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff),
                       math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

request = function()
  local body = "csrf_token=" .. token .. "&submission_key=" .. key() .. "&" .. FIELDS
  return wrk.format("POST", "/logs/new",
    {["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
