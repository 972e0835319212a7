-- wrk script: GET a random path from the file $PATHS (one per line) with the portal session
-- cookie in $BENCH_COOKIE (`bcrm_session=...`), so a run mixes many different pages.
function init(args)
  cookie = os.getenv("BENCH_COOKIE")
  paths = {}
  for line in io.lines(os.getenv("PATHS")) do table.insert(paths, line) end
  math.randomseed(os.time() + math.random(1000000))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], {["Cookie"] = cookie})
end

dofile("bench/wrk_done.lua")
