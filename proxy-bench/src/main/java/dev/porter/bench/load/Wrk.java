package dev.porter.bench.load;

import dev.porter.bench.proxy.Binaries;
import dev.porter.bench.proxy.Launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk as the keep-alive load generator: {@code wrk -t T -c C -d Ds -s SCRIPT URL}, where the
 * script's {@code done()} prints one line with the exact request count, the run's duration, the
 * errors by kind and the latency percentiles (wrk's own {@code --latency} table stops at p99).
 * Only {@code done()} is scripted, so wrk's request path stays its fast C path. Bounded by its
 * own {@code -d} and a hard timeout; stopped by its PID.
 */
public final class Wrk {
    /** The line {@link #SCRIPT} prints; values in microseconds. */
    private static final Pattern LINE = Pattern.compile("porter-bench-wrk requests=(\\d+) duration_us=(\\d+) "
            + "connect=(\\d+) read=(\\d+) write=(\\d+) status=(\\d+) timeout=(\\d+) "
            + "p50=(\\d+) p90=(\\d+) p99=(\\d+) p999=(\\d+)");

    static final String SCRIPT = """
            -- written by porter-bench: one parseable line at the end, nothing on the request path
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format("porter-bench-wrk requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d p50=%d p90=%d p99=%d p999=%d\\n",
                summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
                latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
            end
            """;

    private Wrk() {
    }

    /** wrk on PATH, else /usr/bin/wrk. */
    public static Optional<Path> locate() {
        return Binaries.locate("wrk");
    }

    /**
     * One wrk run's numbers.
     *
     * @param errors    connect, read, write and timeout errors plus non-2xx/3xx responses
     * @param errorText the errors by kind, or null when there were none
     */
    public record Result(long requests, double seconds, long errors, String errorText,
                         double p50Millis, double p90Millis, double p99Millis, double p999Millis) {
    }

    /** Runs wrk as a load process of {@code launch}; {@code threads} wrk threads, {@code connections} connections. */
    public static Result run(Path wrk, Launch launch, String url, int threads, int connections, Duration duration)
            throws IOException, InterruptedException {
        long seconds = Math.max(1, duration.toSeconds());
        Path script = Files.createTempFile("porter-bench-wrk", ".lua");
        try {
            Files.writeString(script, SCRIPT);
            List<String> cmd = new ArrayList<>(List.of(wrk.toString(), "-t" + threads, "-c" + connections,
                    "-d" + seconds + "s", "--timeout", "10s", "-s", script.toString(), url));
            String out = Children.runBounded(launch.load(cmd), "wrk", seconds + 30);
            return parse(out);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    static Result parse(String out) throws IOException {
        Matcher m = LINE.matcher(out);
        if (!m.find()) {
            throw new IOException("no porter-bench-wrk line in wrk's output: " + out.strip());
        }
        long[] v = new long[11];
        for (int i = 0; i < v.length; i++) {
            v[i] = Long.parseLong(m.group(i + 1));
        }
        String[] kinds = {"connect", "read", "write", "status", "timeout"};
        long errors = 0;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < kinds.length; i++) {
            long n = v[2 + i];
            if (n > 0) {
                errors += n;
                text.append(text.isEmpty() ? "" : ", ").append(kinds[i]).append(' ').append(n);
            }
        }
        return new Result(v[0], v[1] / 1e6, errors, text.isEmpty() ? null : text.toString(),
                v[7] / 1000.0, v[8] / 1000.0, v[9] / 1000.0, v[10] / 1000.0);
    }
}
