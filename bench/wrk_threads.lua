-- Shared by the wrk scripts (dofile from the repository root): numbers the threads, so each
-- script's init() can read its own `tid`.
local thread_id = 0

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
