-- wrk script of benchmarks/pages.py: counts the responses outside 2xx (wrk
-- itself counts only those above 399) and prints, in done(), one line
-- "WRK_JSON {...}" with the figures that pages.py reads. Times in ms.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local outside = 0
  for _, thread in ipairs(threads) do
    outside = outside + thread:get("non2xx")
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_s": %.3f, "rps": %.2f, "bytes": %d, '
      .. '"latency_ms": {"mean": %.2f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f}, '
      .. '"non_2xx": %d, "socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    outside, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
