-- wrk script: pushes distinct leads to the affiliate API v2 (seed 001) with the token in
-- $LEAD_TOKEN; every body differs (the API refuses an identical body within 2 minutes).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  token = os.getenv("LEAD_TOKEN")
  run = os.getenv("RUN_ID") or "r"
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"ip":"1.1.1.1","country_code":"GB","lead_language":"en","first_name":"Load","last_name":"Test","phone":"+4420%07d","email":"load-%s-%d-%d@bench.test","aff_sub":"%d"}',
    counter, run, tid, counter, counter)
  return wrk.format("POST", "/api/affiliates/v2/leads",
    {["Content-Type"] = "application/json", ["Authorization"] = token}, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors_seen = (errors_seen or 0) + 1
    if errors_seen < 3 then io.stderr:write("status " .. status .. ": " .. body .. "\n") end
  end
end
