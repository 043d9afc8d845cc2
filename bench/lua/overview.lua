-- The overview, cold: every request asks for a one-year period that ends on a day no request
-- has asked for yet, so the application cache never holds its figures and each one is computed.
-- The reporting (done(), BENCH_EXPECT) is report.lua's, loaded from BENCH_REPORT.
dofile(os.getenv("BENCH_REPORT"))

local asked = 0
local today = os.time()

function request()
  asked = asked + 1
  local back = (asked * 2 + (id or 0)) * 86400 -- two threads: even and odd days
  local finish = today - back
  local start = finish - 364 * 86400
  local path = "/inbox/overview/?start=" .. os.date("!%Y-%m-%d", start) .. "&end=" .. os.date("!%Y-%m-%d", finish)
  return wrk.format("GET", path)
end
