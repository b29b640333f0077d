package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the numbers were measured on: cores, and the 1-minute load average when the run started
 * and ended (from {@code /proc/loadavg}; -1 when unreadable). A load average above the core count
 * means other processes competed with the bench, the proxies and the backend for CPU.
 */
public record Machine(@JsonProperty("cores") int cores,
                      @JsonProperty("loadavg_1m_start") double loadAverageStart,
                      @JsonProperty("loadavg_1m_end") double loadAverageEnd) {

    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static Machine since(double loadAverageStart) {
        return new Machine(Runtime.getRuntime().availableProcessors(), loadAverageStart, loadAverage());
    }

    public boolean busy() {
        return Math.max(loadAverageStart, loadAverageEnd) > cores;
    }
}
