package dev.porter.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prints a {@link BenchReport} as aligned text tables. */
public final class ConsoleTable {
    private static final Pattern CONCURRENCY_SUFFIX = Pattern.compile("(.*)_c(\\d+)");

    private ConsoleTable() {
    }

    public static void print(BenchReport r, PrintStream out) {
        boolean modesDiffer = r.modes() != null && r.modes().stream().anyMatch(m ->
                (m.concurrency() != null && m.concurrency() != r.concurrency())
                        || (m.durationSeconds() != null && m.durationSeconds() != r.durationSeconds()));
        if (modesDiffer) {
            out.printf("%n== %s  (clients and seconds per mode below, workers %d)%n", r.scenario(), r.workers());
        } else {
            out.printf("%n== %s  (%.0fs per mode/round, concurrency %d, workers %d)%n", r.scenario(),
                    r.durationSeconds(), r.concurrency(), r.workers());
        }
        if (r.machine() != null) {
            Machine m = r.machine();
            out.printf("machine: %d cores (%s), kernel %s, load average (1 min) %.2f at start, %.2f at end%s%n",
                    m.cores(), m.cpuModel(), m.kernel(), m.loadAverageStart(), m.loadAverageEnd(),
                    m.busy() ? "  -- above the core count: other processes competed for CPU, numbers are noisy" : "");
        }
        if (r.modes() != null && !r.modes().isEmpty()) {
            boolean guards = r.modes().stream().anyMatch(m -> m.guardEngaged() != null);
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("mode", "clients", "s", "requests", "req/s", "2xx", "5xx",
                    "EADDRNOTAVAIL", "client EADDR", "p50 ms", "p99 ms", "TW proxy", "TW upstream", "TW client",
                    "upstream opened"));
            if (guards) {
                header.addAll(List.of("guard", "ports held"));
            }
            header.add("note");
            rows.add(header);
            for (ModeResult m : r.modes()) {
                List<String> row = new ArrayList<>(List.of(m.name(),
                        m.concurrency() == null ? Integer.toString(r.concurrency()) : m.concurrency().toString(),
                        String.format("%.0f", m.durationSeconds() == null ? r.durationSeconds() : m.durationSeconds()),
                        Long.toString(m.requests()), fmt(m.rps()), Long.toString(m.status2xx()),
                        Long.toString(m.status5xx()), str(m.eaddrnotavail()), Long.toString(m.clientEaddrnotavail()),
                        fmt(m.p50Millis()), fmt(m.p99Millis()), str(m.timewaitProxySideMax()),
                        str(m.timewaitUpstreamSideMax()), str(m.timewaitClientLegMax()),
                        str(m.upstreamConnectionsOpened())));
                if (guards) {
                    row.add(guard(m));
                    row.add(m.portsHeldMax() == null ? "-" : m.portsHeldMax() + "/" + str(m.portBudget()));
                }
                row.add(m.note() == null ? "" : m.note());
                rows.add(row);
            }
            printRows(rows, out);
            out.println("TW = largest TIME_WAIT count seen (sampled every 500 ms); EADDRNOTAVAIL and upstream opened ="
                    + " Porter's upstream connects per its /status (direct modes: the client's); client EADDR = the load"
                    + " generator's own");
            if (guards) {
                out.println("guard = Porter's port budget guard per its /status, read every second: engaged in that share"
                        + " of the readings, or no; ports held = the largest of its own count (open connections and its"
                        + " closes of the last 60 s) / the budget");
            }
            if (r.modes().stream().anyMatch(m -> m.setup() != null)) {
                out.println("Porter's upstream group (and the backend, when it holds requests) per mode:");
                int w = r.modes().stream().mapToInt(m -> m.name().length()).max().orElse(1);
                r.modes().stream().filter(m -> m.setup() != null)
                        .forEach(m -> out.printf("  %-" + w + "s  %s%n", m.name(), m.setup()));
            }
        }
        if (r.setup() != null) {
            r.setup().forEach((k, v) -> out.printf("%-12s %s%n", k + ":", v));
        }
        if (r.targets() != null && !r.targets().isEmpty()) {
            printTargets(r.targets(), out);
        }
        if (r.ratios() != null && !r.ratios().isEmpty()) {
            printRatios(r.ratios(), out);
        }
        if (r.repeat() != null) {
            printSpread(r.repeat(), out);
        }
        if (r.idle() != null && !r.idle().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("proxy", "connections", "RSS start MiB", "RSS before MiB", "RSS after MiB", "PSS before MiB",
                    "PSS after MiB", "RSS KiB/conn", "PSS KiB/conn", "note"));
            for (IdleResult i : r.idle()) {
                rows.add(List.of(i.name(), Integer.toString(i.connections()), mib(i.rssStartKiB()), mib(i.rssBeforeKiB()),
                        mib(i.rssAfterKiB()), mib(i.pssBeforeKiB()), mib(i.pssAfterKiB()), str(i.rssPerConnectionKiB()),
                        str(i.pssPerConnectionKiB()), i.note() == null ? "" : i.note()));
            }
            printRows(rows, out);
        }
        if (r.warmup() != null) {
            WarmupResult w = r.warmup();
            out.printf("listening %.2f s after spawn; steady state %.0f req/s (mean of the last %d s)%n",
                    w.listeningAfterSeconds(), w.steadyRps(), w.steadyWindowSeconds());
            out.printf("first second at >= 80%% of steady state: %s; first 10 s after spawn served %.0f%% of what "
                    + "steady state serves in 10 s%n", w.firstSecondAt80Percent() == null ? "never"
                    : String.format("ends %.1f s after spawn", w.firstSecondAt80Percent()),
                    100 * w.shareOfSteadyInFirst10s());
            StringBuilder b = new StringBuilder("req/s by second:");
            for (int i = 0; i < w.perSecondRps().size(); i++) {
                b.append(i % 10 == 0 ? String.format("%n  %4ds:", i + 1) : "").append(String.format(" %6.0f",
                        w.perSecondRps().get(i)));
            }
            out.println(b);
            if (!w.cpuMicrosPerRequestBy10s().isEmpty()) {
                StringBuilder c = new StringBuilder("Porter's CPU us per request, by 10 s of load:");
                w.cpuMicrosPerRequestBy10s().forEach(v -> c.append(v == null ? " -" : String.format(" %.0f", v)));
                out.println(c);
            }
            if (w.startupCpuSeconds() != null) {
                out.printf("Porter's CPU time: %.2f s to listen; %s to the first of 3 seconds in a row within 1.25x of "
                        + "steady state's CPU per request (the least time to 80%% on a core of its own)%n", w.startupCpuSeconds(),
                        w.cpuSecondsTo80Percent() == null ? "never" : String.format("%.2f s", w.cpuSecondsTo80Percent()));
            }
        }
    }

    private static void printTargets(List<TargetResult> targets, PrintStream out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("target", "conc", "requests", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "CPU us/req",
                "user", "sys", "origin us/req", "client us/req", "errors", "RSS start MiB", "peak RSS MiB", "note"));
        for (TargetResult t : targets) {
            rows.add(List.of(t.name(), t.concurrency() == null ? "-" : t.concurrency().toString(),
                    Long.toString(t.requests()), fmt(t.rps()), fmt(t.p50Millis()), fmt(t.p99Millis()),
                    str(t.p999Millis()), str(t.cpuMicrosPerRequest()), str(t.cpuUserMicrosPerRequest()),
                    str(t.cpuSysMicrosPerRequest()), str(t.originCpuMicrosPerRequest()),
                    str(t.clientCpuMicrosPerRequest()), Long.toString(t.errors()), str(t.rssStartMiB()),
                    str(t.peakRssMiB()), t.note() == null ? "" : t.note()));
        }
        printRows(rows, out);
        out.println("CPU us/req: the process's user + sys CPU over the measured rounds (all threads; nginx: master and"
                + " workers) per request; latency: median over the rounds");
    }

    /** Ratios keyed {@code <what>_c<N>} as one row per what, one column per concurrency; others as lines. */
    private static void printRatios(Map<String, Double> ratios, PrintStream out) {
        Map<String, Map<String, Double>> byWhat = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        Map<String, Double> plain = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : ratios.entrySet()) {
            Matcher m = CONCURRENCY_SUFFIX.matcher(e.getKey());
            if (m.matches()) {
                String c = "c=" + m.group(2);
                if (!columns.contains(c)) {
                    columns.add(c);
                }
                byWhat.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(c, e.getValue());
            } else {
                plain.put(e.getKey(), e.getValue());
            }
        }
        if (!byWhat.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("ratio"));
            header.addAll(columns);
            header.add("");
            rows.add(header);
            byWhat.forEach((what, values) -> {
                List<String> row = new ArrayList<>(List.of(what));
                columns.forEach(c -> row.add(values.containsKey(c) ? String.format("%.3f", values.get(c)) : "-"));
                row.add("");
                rows.add(row);
            });
            printRows(rows, out);
        }
        plain.forEach((k, v) -> out.printf("%-34s %s%n", k, v == null ? "-" : String.format("%.3f", v)));
    }

    /** Each ratio over the repeated runs: median, range and every run's value. */
    private static void printSpread(BenchReport.Repeat repeat, PrintStream out) {
        out.printf("%d runs, each with fresh processes; every ratio over the runs:%n", repeat.runs().size());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ratio", "median", "min", "max", "runs"));
        for (RatioSpread s : repeat.spread()) {
            rows.add(List.of(s.ratio(), ratio(s.median()), ratio(s.min()), ratio(s.max()),
                    String.join(" ", s.values().stream().map(ConsoleTable::ratio).toList())));
        }
        printRows(rows, out);
    }

    private static String ratio(Double v) {
        return v == null || v.isNaN() ? "-" : String.format("%.3f", v);
    }

    /** "yes (93%)" for a guard engaged in 93% of the readings, "no", or "-" when unknown. */
    static String guard(ModeResult m) {
        if (m.guardEngaged() == null) {
            return "-";
        }
        if (!m.guardEngaged()) {
            return "off".equals(m.guardThreshold()) ? "off" : "no";
        }
        return String.format("yes (%.0f%%)", 100 * m.guardEngagedShare());
    }

    private static String mib(Long kib) {
        return kib == null ? "-" : String.format("%.1f", kib / 1024.0);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format("%.0f", v) : String.format("%.2f", v);
    }

    private static String str(Object v) {
        if (v instanceof Double d) {
            return fmt(d);
        }
        return v == null ? "-" : v.toString();
    }

    private static void printRows(List<List<String>> rows, PrintStream out) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        java.util.Arrays.fill(width, 1);
        for (List<String> row : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String cell = row.get(i);
                // names and notes left, numbers right
                b.append(i == 0 || i == cols - 1 ? String.format("%-" + width[i] + "s", cell)
                        : String.format("%" + width[i] + "s", cell));
                b.append("  ");
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
