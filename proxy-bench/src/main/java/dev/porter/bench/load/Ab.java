package dev.porter.bench.load;

import dev.porter.bench.proxy.Binaries;
import dev.porter.bench.proxy.Launch;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ApacheBench without {@code -k} as the new-connection-per-request load generator: every request
 * on a connection of its own (HTTP/1.0, no keep-alive, so the server closes after answering), as
 * clients without keep-alive and health checkers do. Its summary is parsed from stdout;
 * latency percentiles come in whole milliseconds and stop at p99. Bounded by {@code -t} and a
 * hard timeout; stopped by its PID.
 */
public final class Ab {
    private static final Pattern COMPLETE = Pattern.compile("Complete requests:\\s+(\\d+)");
    private static final Pattern FAILED = Pattern.compile("Failed requests:\\s+(\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx responses:\\s+(\\d+)");
    private static final Pattern TIME = Pattern.compile("Time taken for tests:\\s+([0-9.]+) seconds");
    private static final Pattern PCT = Pattern.compile("^\\s+(50|90|99)%\\s+(\\d+)", Pattern.MULTILINE);

    private Ab() {
    }

    /** ab on PATH, else /usr/bin/ab (Debian's apache2-utils). */
    public static Optional<java.nio.file.Path> locate() {
        return Binaries.locate("ab");
    }

    /**
     * One ab run's numbers; percentiles in milliseconds.
     *
     * @param errors failed requests plus non-2xx responses
     */
    public record Result(long requests, double seconds, long errors, double p50Millis, double p90Millis,
                         double p99Millis) {
    }

    public static Result run(java.nio.file.Path ab, Launch launch, String url, int concurrency, Duration duration)
            throws IOException, InterruptedException {
        long seconds = Math.max(1, duration.toSeconds());
        // -n after -t: -t sets a default request cap of 50,000 that a later -n raises
        List<String> cmd = List.of(ab.toString(), "-q", "-r", "-c", Integer.toString(concurrency),
                "-t", Long.toString(seconds), "-n", "100000000", url);
        String out = Children.runBounded(launch.load(cmd), "ab", seconds + 30);
        return parse(out);
    }

    static Result parse(String out) throws IOException {
        Matcher complete = COMPLETE.matcher(out);
        Matcher time = TIME.matcher(out);
        if (!complete.find() || !time.find()) {
            throw new IOException("no summary in ab's output: " + out.strip());
        }
        long errors = 0;
        Matcher failed = FAILED.matcher(out);
        if (failed.find()) {
            errors += Long.parseLong(failed.group(1));
        }
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        double[] pct = new double[3];
        Matcher m = PCT.matcher(out);
        while (m.find()) {
            int i = switch (m.group(1)) {
                case "50" -> 0;
                case "90" -> 1;
                default -> 2;
            };
            pct[i] = Double.parseDouble(m.group(2));
        }
        return new Result(Long.parseLong(complete.group(1)), Double.parseDouble(time.group(1)), errors,
                pct[0], pct[1], pct[2]);
    }
}
