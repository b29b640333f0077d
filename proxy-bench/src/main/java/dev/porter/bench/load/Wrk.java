package dev.porter.bench.load;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk as a cross-check of the bench's own load generator: {@code wrk -t T -c C -d Ds --latency URL},
 * its "Requests/sec" and latency distribution parsed from stdout. Bounded by its own {@code -d}
 * and a hard timeout; stopped by its PID.
 */
public final class Wrk {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern PCT = Pattern.compile("^\\s+(50|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile("(Socket errors:.*|Non-2xx or 3xx responses:.*)");

    private Wrk() {
    }

    /**
     * One wrk run's numbers.
     *
     * @param errors wrk's socket-error and non-2xx lines, or null when there were none
     */
    public record Result(@JsonProperty("rps") double rps, @JsonProperty("p50_ms") double p50Millis,
                         @JsonProperty("p90_ms") double p90Millis, @JsonProperty("p99_ms") double p99Millis,
                         @JsonProperty("cpu_us_per_request") Double cpuMicrosPerRequest,
                         @JsonProperty("errors") String errors) {
        public Result withCpu(Double cpu) {
            return new Result(rps, p50Millis, p90Millis, p99Millis, cpu, errors);
        }
    }

    /** wrk on PATH, else /usr/bin/wrk. */
    public static Optional<Path> locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
                return Optional.of(Path.of(dir, "wrk"));
            }
        }
        Path bin = Path.of("/usr/bin/wrk");
        return Files.isExecutable(bin) ? Optional.of(bin) : Optional.empty();
    }

    public static Result run(Path wrk, String url, int threads, int connections, Duration duration)
            throws IOException, InterruptedException {
        long seconds = Math.max(1, duration.toSeconds());
        Process p = new ProcessBuilder(List.of(wrk.toString(), "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", url)).redirectErrorStream(true).start();
        byte[] out;
        try {
            if (!p.waitFor(seconds + 30, TimeUnit.SECONDS)) {
                throw new IOException("wrk did not finish within " + (seconds + 30) + " s");
            }
            out = p.getInputStream().readAllBytes();
        } finally {
            p.destroyForcibly();
        }
        return parse(new String(out, StandardCharsets.UTF_8));
    }

    static Result parse(String out) throws IOException {
        Matcher rps = RPS.matcher(out);
        if (!rps.find()) {
            throw new IOException("no Requests/sec in wrk's output: " + out.strip());
        }
        double[] pct = new double[3];
        Matcher m = PCT.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2));
            double ms = switch (m.group(3)) {
                case "us" -> v / 1000;
                case "s" -> v * 1000;
                default -> v;
            };
            pct[switch (m.group(1)) {
                case "50" -> 0;
                case "90" -> 1;
                default -> 2;
            }] = ms;
        }
        StringBuilder errors = new StringBuilder();
        Matcher e = ERRORS.matcher(out);
        while (e.find()) {
            errors.append(errors.isEmpty() ? "" : "; ").append(e.group(1).strip());
        }
        return new Result(Double.parseDouble(rps.group(1)), pct[0], pct[1], pct[2], null,
                errors.isEmpty() ? null : errors.toString());
    }
}
