package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time (user + system) of a process and its live descendants, from
 * {@code /proc/PID/stat}. A JVM's line already sums all its threads; nginx's workers are
 * separate processes, children of the master, so they are added in.
 */
public final class ProcessCpu {
    /** USER_HZ: what /proc counts utime and stime in. 100 on every mainstream Linux build. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** Microseconds of CPU used so far by {@code pid} and its descendants; empty when unreadable. */
    public static OptionalLong micros(long pid) {
        OptionalLong own = ticks(pid);
        if (own.isEmpty()) {
            return OptionalLong.empty();
        }
        long total = own.getAsLong();
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(java.util.List.of())) {
            total += ticks(child.pid()).orElse(0);
        }
        return OptionalLong.of(total * 1_000_000 / TICKS_PER_SECOND);
    }

    static OptionalLong ticks(long pid) {
        try {
            return OptionalLong.of(parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime (fields 14 and 15) of a stat line; the name in parentheses may hold spaces. */
    static long parseTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
