-- wrk script: money movements for bench/transfers.sh. MODE=random: a transfer of 0.01 between
-- two random wallets of the one owner (POST /api/wallets/transfer). MODE=hot: a staff manual
-- DEPOSIT of 0.01 into a random wallet, so every transfer debits the one manual cash-clearing
-- house account. Every request carries a unique Idempotency-Key.
dofile("bench/wrk_threads.lua")

function init(args)
  counter = 0
  token = "Bearer " .. os.getenv("BENCH_TOKEN")
  mode = os.getenv("MODE") or "random"
  run = os.getenv("RUN_ID") or "r"
  wallets = {}
  for id in string.gmatch(os.getenv("WALLETS"), "%d+") do table.insert(wallets, id) end
  math.randomseed(os.time() + tid * 7919)
end

function request()
  counter = counter + 1
  local key = string.format("%s-%d-%d", run, tid, counter)
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = token,
    ["Idempotency-Key"] = key}
  local n = #wallets
  if mode == "hot" then
    local w = wallets[math.random(n)]
    return wrk.format("POST", "/api/wallets/" .. w .. "/transactions", headers,
      '{"type":"DEPOSIT","amount":"0.01","method":"bench"}')
  end
  local a = math.random(n)
  local b = math.random(n - 1)
  if b >= a then b = b + 1 end
  return wrk.format("POST", "/api/wallets/transfer", headers, string.format(
    '{"sourceWalletId":%s,"targetWalletId":%s,"amount":"0.01"}', wallets[a], wallets[b]))
end

dofile("bench/wrk_done.lua")
