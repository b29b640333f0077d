package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Peak resident memory (VmHWM in {@code /proc/PID/status}) of a process and its live
 * descendants, in KiB: for a JVM its one process, for nginx the master and its workers.
 */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak RSS in KiB of {@code pid} and its descendants; empty when unreadable. */
    public static OptionalLong peakRssKiB(long pid) {
        OptionalLong own = hwm(pid);
        if (own.isEmpty()) {
            return OptionalLong.empty();
        }
        long total = own.getAsLong();
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            total += hwm(child.pid()).orElse(0);
        }
        return OptionalLong.of(total);
    }

    static OptionalLong hwm(long pid) {
        try {
            return parseHwm(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The VmHWM line of a status file ("VmHWM:   123456 kB"). */
    static OptionalLong parseHwm(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return OptionalLong.of(Long.parseLong(line.substring(6).trim().split("\\s+")[0]));
            }
        }
        return OptionalLong.empty();
    }
}
