-- wrk script: GET a random path from the file $PATHS (one per line) with the bearer token in
-- $BENCH_TOKEN, so a run mixes many different queries instead of repeating one.
function init(args)
  token = "Bearer " .. os.getenv("BENCH_TOKEN")
  paths = {}
  for line in io.lines(os.getenv("PATHS")) do table.insert(paths, line) end
  math.randomseed(os.time() + math.random(1000000))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], {["Authorization"] = token})
end

dofile("bench/wrk_done.lua")
