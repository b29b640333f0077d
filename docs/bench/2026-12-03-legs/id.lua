-- Each request carries its own number (X-Req-Id), so a packet capture can follow it through the proxy to the
-- origin and back. Ends with the same percentile line as ../2026-12-03-tail/pct.lua.
local n = 0
request = function()
  n = n + 1
  -- built by hand: wrk.format per request costs wrk a third of its speed
  return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Req-Id: " .. n .. "\r\n\r\n"
end
done = function(summary, latency, requests)
  for _, p in pairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s=%.2fms ", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max=%.2fms n=%d\n", latency.max / 1000, summary.requests))
end
