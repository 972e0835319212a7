-- wrk script: signed `completed` callbacks of the test payment provider for bench/deposits.sh
-- (POST /api/payment-providers/test/callback). CALLBACKS names the file of prepared
-- callbacks (`<X-Signature>\t<raw body>` a line); thread t of THREADS sends lines t, t +
-- THREADS, … in turn, then starts over (redeliveries: answered 200, nothing posted).
dofile("bench/wrk_threads.lua")

function init(args)
  local threads = tonumber(os.getenv("THREADS") or "2")
  calls = {}
  local i = 0
  for line in io.lines(os.getenv("CALLBACKS")) do
    if i % threads == tid then
      local sig, body = string.match(line, "^([^\t]+)\t(.*)$")
      table.insert(calls, {sig, body})
    end
    i = i + 1
  end
  next_call = 0
end

function request()
  next_call = next_call % #calls + 1
  local c = calls[next_call]
  return wrk.format("POST", "/api/payment-providers/test/callback",
    {["Content-Type"] = "application/json", ["X-Signature"] = c[1]}, c[2])
end

dofile("bench/wrk_done.lua")
