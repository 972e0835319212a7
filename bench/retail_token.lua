-- wrk script: market-data tokens for bench/retail.sh. POST /api/v1/token by the account id of
-- the demo account that holds an active subscription, with the demo application's key.
function init(args)
  headers = {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("MD_KEY")}
  body = '{"accountId":"' .. os.getenv("MD_ACCOUNT") .. '","withDetails":true}'
end

function request()
  return wrk.format("POST", "/api/v1/token", headers, body)
end

dofile("bench/wrk_done.lua")
