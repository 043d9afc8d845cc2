-- Prints one machine-readable line at the end of a wrk run: requests, errors and latency
-- percentiles (microseconds). bench/wrk.py parses the line that starts with BENCH_RESULT.
-- Optional: BENCH_EXPECT=<status> counts every other status as "unexpected" (costs wrk a little
-- CPU per response, so only scenarios that need it set it).

local expect = tonumber(os.getenv("BENCH_EXPECT") or "")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

if expect then
  unexpected = 0
  function response(status, headers, body)
    if status ~= expect then
      unexpected = unexpected + 1
    end
  end
end

function done(summary, latency, requests)
  local unexpected_total = 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + (tonumber(thread:get("unexpected")) or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"unexpected": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, unexpected_total,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max))
end
