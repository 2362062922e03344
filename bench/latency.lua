-- wrk prints its own summary; this adds the figures the benchmark saves, in one parsable line.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("BENCH requests=%d errors=%d seconds=%.3f p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, seconds,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
