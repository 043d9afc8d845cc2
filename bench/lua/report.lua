-- Prints one machine-readable line at the end of a wrk run: requests, errors and latency
-- percentiles (microseconds). bench/wrk.py parses the line that starts with BENCH_RESULT.
--
-- Optional, through the environment:
--   BENCH_EXPECT=<status>  count every other status as "unexpected" (costs wrk a little CPU per
--                          response, so only scenarios that need it set it);
--   BENCH_BODIES=<file>    POST the file's lines as bodies, each line once: thread i of n takes
--                          lines i, i+n, ...; a thread stops when its share is used up.
--   BENCH_THREADS=<n>      the -t value, for that split.

local expect = tonumber(os.getenv("BENCH_EXPECT") or "")
local bodies_path = os.getenv("BENCH_BODIES")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

unexpected = 0
replayed = 0

if bodies_path then
  local bodies = {}
  local sent = 0

  function init(args)
    local count = tonumber(os.getenv("BENCH_THREADS") or "1")
    local line_number = 0
    for line in io.lines(bodies_path) do
      if line ~= "" then
        if line_number % count == id then
          table.insert(bodies, line)
        end
        line_number = line_number + 1
      end
    end
    wrk.method = "POST"
  end

  function request()
    sent = sent + 1
    local index = sent
    if index > #bodies then
      replayed = replayed + 1 -- in flight while the thread stops: the token is used twice
      index = #bodies
    end
    return wrk.format("POST", nil, nil, bodies[index])
  end

  function response(status, headers, body)
    if expect and status ~= expect then
      unexpected = unexpected + 1
    end
    if sent >= #bodies then
      wrk.thread:stop()
    end
  end
elseif expect then
  function response(status, headers, body)
    if status ~= expect then
      unexpected = unexpected + 1
    end
  end
end

function done(summary, latency, requests)
  local unexpected_total = 0
  local replayed_total = 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + (tonumber(thread:get("unexpected")) or 0)
    replayed_total = replayed_total + (tonumber(thread:get("replayed")) or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"unexpected": %d}, "replayed": %d, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, unexpected_total, replayed_total,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
