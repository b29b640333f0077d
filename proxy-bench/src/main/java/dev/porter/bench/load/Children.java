package dev.porter.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external load generator to its end, bounded in time, and returns what it printed. */
final class Children {
    private Children() {
    }

    /**
     * Runs {@code command} with stdout and stderr into a temp file, waits at most
     * {@code timeoutSeconds} (then kills it by its PID and fails), and returns the output.
     * Waiting for it also reaps it, so its CPU time shows in this JVM's {@code cutime}/{@code cstime}.
     */
    static String runBounded(List<String> command, String name, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("porter-bench-" + name, ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new IOException(name + " did not finish within " + timeoutSeconds + " s");
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
