-- wrk script for bench_log_submit.py: every request posts the log form as one of the signed-in
-- practitioners (cookies and CSRF tokens handed over by the Python side, taken in turn), each with
-- a new submission key, so every request is a new log.
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(os.time() + id * 7919)
  turn = id
end

local function key()
  return string.format("%08x%08x%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff),
                       math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

request = function()
  turn = turn + 1
  local session = SESSIONS[(turn % #SESSIONS) + 1]
  local body = "csrf_token=" .. session[2] .. "&submission_key=" .. key() .. "&" .. FIELDS
  return wrk.format("POST", "/logs/new",
    {["Cookie"] = session[1], ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
