-- wrk script for the load test of tests/perf/run.py (see tests/perf/README.md).
--
--   wrk ... -s tests/perf/load.lua <url> -- get <path> <cookie>
--   wrk ... -s tests/perf/load.lua <url> -- roundtrip <path> <cookie> <token> <body>
--
-- get: GET <path> again and again, signed in by the session cookie.
-- roundtrip: the evidence entry as a browser does it: GET the form, then POST a new
-- entry, whose 302 leads back to the form, and so on. Each thread alternates GET and
-- POST; the POST carries the CSRF token of the latest form the thread read (any token
-- of the session's CSRF cookie is valid). <body> is the url-encoded form without the
-- token. At the end, one line "CFLOAD {json}" goes to standard output.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  path = args[2]
  cookie = args[3]
  token = args[4]
  body = args[5]
  sent = 0
  posts = 0
  redirects = 0
  ok = 0
  other = 0
  statuses = {}
  get_request = wrk.format("GET", path, { ["Cookie"] = cookie })
end

function request()
  sent = sent + 1
  if mode == "roundtrip" and sent % 2 == 0 then
    posts = posts + 1
    return wrk.format("POST", path, {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body .. "&csrfmiddlewaretoken=" .. token)
  end
  return get_request
end

function response(status, headers, response_body)
  if status == 302 then
    redirects = redirects + 1
  elseif status == 200 then
    ok = ok + 1
    if mode == "roundtrip" then
      local fresh = response_body:match('name="csrfmiddlewaretoken" value="([^"]+)"')
      if fresh then
        token = fresh
      end
    end
  else
    other = other + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local totals = { sent = 0, posts = 0, redirects = 0, ok = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (thread:get(key) or 0)
    end
  end
  local errors = summary.errors
  local by_status = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local other_statuses = {}
  for status, count in pairs(by_status) do
    table.insert(other_statuses, string.format('"%d": %d', status, count))
  end
  io.write(string.format(
    'CFLOAD {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, '
      .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"sent": %d, "posts": %d, "status_302": %d, "status_200": %d, "status_other": %d, '
      .. '"other_statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    totals.sent, totals.posts, totals.redirects, totals.ok, totals.other,
    table.concat(other_statuses, ", ")
  ))
end
