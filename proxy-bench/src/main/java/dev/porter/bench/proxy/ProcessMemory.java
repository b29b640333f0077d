package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Resident memory of a process and its live descendants, in KiB: for a JVM or HAProxy its one
 * process, for nginx the master and its workers. Peak RSS is {@code VmHWM} and current RSS
 * {@code VmRSS} of {@code /proc/PID/status}; {@link #rollup} reads {@code /proc/PID/smaps_rollup},
 * whose {@code Pss} charges each shared page to its sharers in proportion, so that nginx's
 * workers (which share the master's pages) are not counted twice.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /**
     * Resident and proportional set size, in KiB, summed over a process tree.
     */
    public record Rollup(long rssKiB, long pssKiB) {
        public Rollup minus(Rollup earlier) {
            return new Rollup(rssKiB - earlier.rssKiB, pssKiB - earlier.pssKiB);
        }
    }

    /** Peak RSS in KiB of {@code pid} and its descendants; empty when unreadable. */
    public static OptionalLong peakRssKiB(long pid) {
        return sumOverTree(pid, "VmHWM:");
    }

    /** Current RSS in KiB of {@code pid} and its descendants; empty when unreadable. */
    public static OptionalLong rssKiB(long pid) {
        return sumOverTree(pid, "VmRSS:");
    }

    /** Rss and Pss from smaps_rollup of {@code pid} and its descendants; empty when unreadable. */
    public static Optional<Rollup> rollup(long pid) {
        Optional<Rollup> own = readRollup(pid);
        if (own.isEmpty()) {
            return own;
        }
        long rss = own.get().rssKiB();
        long pss = own.get().pssKiB();
        for (ProcessHandle child : descendants(pid)) {
            Optional<Rollup> r = readRollup(child.pid());
            if (r.isPresent()) {
                rss += r.get().rssKiB();
                pss += r.get().pssKiB();
            }
        }
        return Optional.of(new Rollup(rss, pss));
    }

    private static OptionalLong sumOverTree(long pid, String key) {
        OptionalLong own = statusValue(pid, key);
        if (own.isEmpty()) {
            return own;
        }
        long total = own.getAsLong();
        for (ProcessHandle child : descendants(pid)) {
            total += statusValue(child.pid(), key).orElse(0);
        }
        return OptionalLong.of(total);
    }

    private static List<ProcessHandle> descendants(long pid) {
        return ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
    }

    private static OptionalLong statusValue(long pid, String key) {
        try {
            return parseKiB(Files.readString(Path.of("/proc", Long.toString(pid), "status")), key);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static Optional<Rollup> readRollup(long pid) {
        try {
            return parseRollup(Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The VmHWM line of a status file ("VmHWM:   123456 kB"). */
    static OptionalLong parseHwm(String status) {
        return parseKiB(status, "VmHWM:");
    }

    /** The value of the line starting with {@code key} ("Key:   123456 kB"). */
    static OptionalLong parseKiB(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return OptionalLong.of(Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]));
            }
        }
        return OptionalLong.empty();
    }

    /** The {@code Rss:} and {@code Pss:} lines of a smaps_rollup file; empty when either is missing. */
    static Optional<Rollup> parseRollup(String smapsRollup) {
        OptionalLong rss = parseKiB(smapsRollup, "Rss:");
        OptionalLong pss = parseKiB(smapsRollup, "Pss:");
        return rss.isPresent() && pss.isPresent() ? Optional.of(new Rollup(rss.getAsLong(), pss.getAsLong()))
                : Optional.empty();
    }
}
