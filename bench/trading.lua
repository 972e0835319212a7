-- wrk script for bench/trading.sh: market round trips. Each thread keeps the ids of the
-- positions it opened; a request closes the oldest of them (POST /api/positions/{id}/close)
-- or, when it has none, opens one at market on a random wallet (POST /api/positions).
local thread_id = 0

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

function init(args)
  token = "Bearer " .. os.getenv("BENCH_TOKEN")
  symbol = os.getenv("SYMBOL") or "BTCUSD"
  size = os.getenv("SIZE") or "0.01"
  wallets = {}
  for id in string.gmatch(os.getenv("WALLETS"), "%d+") do table.insert(wallets, id) end
  opened = {}
  first, last = 1, 0
  math.randomseed(os.time() + tid * 7919)
  headers = {["Content-Type"] = "application/json", ["Authorization"] = token}
end

function request()
  if last >= first then
    local id = opened[first]
    opened[first] = nil
    first = first + 1
    return wrk.format("POST", "/api/positions/" .. id .. "/close", headers, "{}")
  end
  local w = wallets[math.random(#wallets)]
  local side = (math.random(2) == 1) and "BUY" or "SELL"
  return wrk.format("POST", "/api/positions", headers, string.format(
    '{"accountId":%s,"symbol":"%s","side":"%s","size":"%s"}', w, symbol, side, size))
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"status":"OPEN"', 1, true) then
    local id = string.match(body, '"id":(%d+)')
    if id then
      last = last + 1
      opened[last] = id
    end
  end
end

dofile("bench/wrk_done.lua")
