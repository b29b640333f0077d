package dev.porter.bench.report;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the numbers were measured on: cores, the CPU's model and the kernel (ratios from runs on
 * different machines differ: between runs G and H of docs/bench, nginx's cost per request fell by a
 * third and Porter's did not move), and the 1-minute load average when the run started and
 * ended (from {@code /proc/loadavg}; -1 when unreadable). A load average above the core count
 * means other processes competed with the bench, the proxies and the backend for CPU.
 */
public record Machine(@JsonProperty("cores") int cores,
                      @JsonProperty("cpu_model") String cpuModel,
                      @JsonProperty("kernel") String kernel,
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
        return new Machine(onlineCpus(), cpuModel(read("/proc/cpuinfo")), read("/proc/sys/kernel/osrelease").trim(),
                loadAverageStart, loadAverage());
    }

    /** The first {@code model name} of a {@code /proc/cpuinfo} text, or "unknown". */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("model name")) {
                int colon = line.indexOf(':');
                return colon < 0 ? "unknown" : line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The machine's online CPUs ({@code /sys/devices/system/cpu/online}, e.g. "0-1"), not this
     * JVM's: with {@code --pin} the bench runs on the load CPUs only, and the JVM counts just those.
     */
    static int onlineCpus() {
        try {
            return cpuCount(Files.readString(Path.of("/sys/devices/system/cpu/online")).trim());
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** How many CPUs a taskset list such as "1", "2-3" or "0,2" names. */
    public static int cpuCount(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String[] r = part.trim().split("-");
            n += r.length == 2 ? Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1 : 1;
        }
        return Math.max(1, n);
    }

    public boolean busy() {
        return Math.max(loadAverageStart, loadAverageEnd) > cores;
    }
}
