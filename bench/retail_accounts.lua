-- wrk script: market-data account creation for bench/retail.sh. POST /api/v1/accounts with a
-- new e-mail each request (thread id, counter and a run id keep them unique).
dofile("bench/wrk_threads.lua")

function init(args)
  counter = 0
  run = os.getenv("RUN_ID") or "r"
  headers = {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("MD_KEY")}
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"email":"bench.%s.%d.%d@example.com","metadata":{"firstName":"Bench","lastName":"User"},"allowedStatuses":"ALL"}',
    run, tid, counter)
  return wrk.format("POST", "/api/v1/accounts", headers, body)
end

dofile("bench/wrk_done.lua")
