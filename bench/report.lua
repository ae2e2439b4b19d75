-- Shared by get.lua and walk.lua. Each wrk thread has its own Lua state: its counters are
-- globals there, and done() (in wrk's main state) adds them up over the threads and prints
-- one line, "BENCH {json}", for bench/run.py to read.

statuses = {}    -- responses by HTTP status
errors = {}      -- the first few unexpected responses, described
error_count = 0  -- all unexpected responses
walks = 0        -- complete walks (walk.lua only)
walk_requests = 0 -- requests that belong to complete walks (walk.lua only)

local MAX_MESSAGES = 5
local threads = {}

-- setup() runs in the main state, once per thread, after the thread's init(): the thread
-- learns its number here and uses it from its first request on.
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function count(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function unexpected(message)
  error_count = error_count + 1
  if #errors < MAX_MESSAGES then
    table.insert(errors, message)
  end
end

local function json_string(value)
  local text = tostring(value):gsub('[%c"\\]', " ")
  return '"' .. text .. '"'
end

local function json_object(map)
  local parts = {}
  for key, value in pairs(map) do
    table.insert(parts, json_string(key) .. ": " .. tostring(value))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local all = { statuses = {}, messages = {}, unexpected = 0, walks = 0, walk_requests = 0 }
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      all.statuses[status] = (all.statuses[status] or 0) + n
    end
    for _, message in ipairs(thread:get("errors")) do
      table.insert(all.messages, json_string(message))
    end
    all.unexpected = all.unexpected + thread:get("error_count")
    all.walks = all.walks + thread:get("walks")
    all.walk_requests = all.walk_requests + thread:get("walk_requests")
  end
  local e = summary.errors
  io.write("BENCH {",
    '"duration_us": ', summary.duration, ", ",
    '"requests": ', summary.requests, ", ",
    '"socket_errors": ', json_object({ connect = e.connect, read = e.read, write = e.write,
                                        timeout = e.timeout }), ", ",
    '"statuses": ', json_object(all.statuses), ", ",
    '"unexpected": ', all.unexpected, ", ",
    '"messages": [', table.concat(all.messages, ", "), "], ",
    '"walks": ', all.walks, ", ",
    '"walk_requests": ', all.walk_requests, ", ",
    '"latency_mean_us": ', latency.mean, ", ",
    '"latency_p99_us": ', latency:percentile(99.0),
    "}\n")
end
