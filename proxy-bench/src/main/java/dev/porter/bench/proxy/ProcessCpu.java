package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * CPU time (user and system) of a process and its live descendants, from
 * {@code /proc/PID/stat}. A process's line already sums all its threads, live and exited (a
 * JVM's event loops, HAProxy's threads); nginx's workers are separate processes, children of
 * the master, so they are added in. Load generators that ran as children of this JVM (wrk, ab)
 * are read after they were reaped, from this process's {@code cutime}/{@code cstime}.
 */
public final class ProcessCpu {
    /** USER_HZ: what /proc counts utime and stime in. 100 on every mainstream Linux build. */
    private static final long TICKS_PER_SECOND = 100;
    private static final long MICROS_PER_TICK = 1_000_000 / TICKS_PER_SECOND;

    private ProcessCpu() {
    }

    /**
     * CPU time in microseconds, split by where it was spent.
     *
     * @param user time in user mode (the program's own code)
     * @param sys  time in the kernel on the process's behalf (syscalls: reads, writes, accepts)
     */
    public record Times(long user, long sys) {
        public long total() {
            return user + sys;
        }

        public Times minus(Times earlier) {
            return new Times(user - earlier.user, sys - earlier.sys);
        }

        Times plus(Times other) {
            return new Times(user + other.user, sys + other.sys);
        }
    }

    /** Microseconds of CPU used so far by {@code pid} and its descendants; empty when unreadable. */
    public static OptionalLong micros(long pid) {
        Optional<Times> t = times(pid);
        return t.isPresent() ? OptionalLong.of(t.get().total()) : OptionalLong.empty();
    }

    /** User and system CPU used so far by {@code pid} and its live descendants; empty when unreadable. */
    public static Optional<Times> times(long pid) {
        Optional<long[]> own = fields(pid);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Times total = ticks(own.get(), 11);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            total = total.plus(fields(child.pid()).map(f -> ticks(f, 11)).orElse(new Times(0, 0)));
        }
        return Optional.of(new Times(total.user * MICROS_PER_TICK, total.sys * MICROS_PER_TICK));
    }

    /** This JVM's own CPU (all its threads): what the bench's in-process load generator costs. */
    public static Optional<Times> self() {
        return times(ProcessHandle.current().pid());
    }

    /** CPU of this JVM's children that have exited and been waited for (wrk, ab after their run). */
    public static Optional<Times> reapedChildren() {
        return fields(ProcessHandle.current().pid())
                .map(f -> ticks(f, 13))
                .map(t -> new Times(t.user * MICROS_PER_TICK, t.sys * MICROS_PER_TICK));
    }

    /** utime + stime (fields 14 and 15) of a stat line; the name in parentheses may hold spaces. */
    static long parseTicks(String stat) {
        Times t = parseTimes(stat);
        return t.user + t.sys;
    }

    /** utime and stime (fields 14 and 15) of a stat line, in ticks. */
    static Times parseTimes(String stat) {
        return ticks(split(stat), 11);
    }

    /** cutime and cstime (fields 16 and 17): waited-for children, in ticks. */
    static Times parseChildTimes(String stat) {
        return ticks(split(stat), 13);
    }

    private static Times ticks(long[] f, int userIndex) {
        return new Times(f[userIndex], f[userIndex + 1]);
    }

    private static Optional<long[]> fields(long pid) {
        try {
            return Optional.of(split(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Fields 3 to 17 of a stat line as numbers (field 3, the state letter, as 0): field n is at
     * n - 3. Later fields are left alone: some (rsslim) are unsigned 64-bit and overflow a long.
     */
    private static long[] split(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long[] out = new long[15];
        for (int i = 1; i < out.length; i++) {
            out[i] = Long.parseLong(f[i]);
        }
        return out;
    }
}
