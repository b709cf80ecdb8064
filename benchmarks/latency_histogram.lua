-- wrk script for bench_web.py: at the end of a run, print every latency wrk recorded (in
-- microseconds) with how many requests took it, so that the latencies of several runs can be
-- merged and their percentiles taken over all of their requests together.
done = function(summary, latency, requests)
  for i = 1, #latency do
    local value, count = latency(i)
    io.write(string.format("latency_us %d %d\n", value, count))
  end
end
