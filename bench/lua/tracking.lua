-- wrk load for the tracking write paths, for Keel's native API or any MLflow-compatible server.
--
--   wrk -t2 -c4 -d10s -s bench/lua/tracking.lua URL -- MODE FLAVOR RUN_ID [BATCH_SIZE]
--
-- MODE    batch   one log-batch of BATCH_SIZE metrics (default 1000) per request
--         metric  one log-metric per request
-- FLAVOR  keel    POST /api/v1/runs/RUN_ID/batch | /api/v1/runs/RUN_ID/metrics
--         mlflow  POST /api/2.0/mlflow/runs/log-batch | /api/2.0/mlflow/runs/log-metric
--         fixed   the same request again and again: args METHOD PATH [BODY_FILE]; with -c1 this
--                 times reads (search, history) one at a time, as a user's client makes them
-- Each request logs new points (steps advance per connection), so the store grows as it would
-- under real training jobs. At the end one JSON line with the figures is printed.

local threads = {}
local mode, flavor, run_id, batch_size
local counter = 0

local keys = 10

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1] or "batch"
  if mode == "fixed" then
    wrk.method = args[2]
    wrk.path = args[3]
    if args[4] then
      local file = assert(io.open(args[4], "rb"))
      wrk.body = file:read("*a")
      file:close()
      wrk.headers["Content-Type"] = "application/json"
    end
    return
  end
  flavor = args[2] or "keel"
  run_id = args[3]
  batch_size = tonumber(args[4] or "1000")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if flavor == "keel" then
    wrk.path = "/api/v1/runs/" .. run_id .. (mode == "batch" and "/batch" or "/metrics")
  else
    wrk.path = "/api/2.0/mlflow/runs/" .. (mode == "batch" and "log-batch" or "log-metric")
  end
end

local function metric(key, value, step)
  return string.format('{"key":"%s","value":%.6f,"timestamp":%d,"step":%d}', key, value, 1700000000000 + step, step)
end

function request()
  if mode == "fixed" then
    return wrk.format()
  end
  counter = counter + 1
  local base = (thread_id * 1000000 + counter) * batch_size
  local body
  if mode == "batch" then
    local parts = {}
    for i = 0, batch_size - 1 do
      parts[#parts + 1] = metric("m" .. (i % keys), (i % 97) / 97.0, base + i)
    end
    local list = table.concat(parts, ",")
    if flavor == "keel" then
      body = '{"metrics":[' .. list .. ']}'
    else
      body = '{"run_id":"' .. run_id .. '","metrics":[' .. list .. ']}'
    end
  else
    local point = metric("loss", (counter % 97) / 97.0, base)
    if flavor == "keel" then
      body = point
    else
      body = '{"run_id":"' .. run_id .. '",' .. string.sub(point, 2)
    end
  end
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"errors":%d,"status_errors":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
