package dev.porter.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints a {@link BenchReport} as aligned text tables. */
public final class ConsoleTable {
    private ConsoleTable() {
    }

    public static void print(BenchReport r, PrintStream out) {
        out.printf("%n== %s  (%.0fs per mode/round, concurrency %d, workers %d)%n", r.scenario(), r.durationSeconds(),
                r.concurrency(), r.workers());
        if (r.machine() != null) {
            Machine m = r.machine();
            out.printf("machine: %d cores, load average (1 min) %.2f at start, %.2f at end%s%n", m.cores(),
                    m.loadAverageStart(), m.loadAverageEnd(),
                    m.busy() ? "  -- above the core count: other processes competed for CPU, numbers are noisy" : "");
        }
        if (r.modes() != null && !r.modes().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("mode", "requests", "req/s", "2xx", "5xx", "EADDRNOTAVAIL", "client EADDR", "p50 ms", "p99 ms",
                    "TW proxy", "TW upstream", "TW client", "upstream opened", "note"));
            for (ModeResult m : r.modes()) {
                rows.add(List.of(m.name(), Long.toString(m.requests()), fmt(m.rps()), Long.toString(m.status2xx()),
                        Long.toString(m.status5xx()), str(m.eaddrnotavail()), Long.toString(m.clientEaddrnotavail()),
                        fmt(m.p50Millis()), fmt(m.p99Millis()), str(m.timewaitProxySideMax()),
                        str(m.timewaitUpstreamSideMax()), str(m.timewaitClientLegMax()),
                        str(m.upstreamConnectionsOpened()), m.note() == null ? "" : m.note()));
            }
            printRows(rows, out);
            out.println("TW = largest TIME_WAIT count seen (sampled every 500 ms); EADDRNOTAVAIL and upstream opened ="
                    + " Porter's upstream connects per its /status (direct modes: the client's); client EADDR = the load"
                    + " generator's own");
        }
        if (r.targets() != null && !r.targets().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("target", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "CPU us/req",
                    "errors", "upstream opened", "note"));
            for (TargetResult t : r.targets()) {
                rows.add(List.of(t.name(), Long.toString(t.requests()), fmt(t.rps()), fmt(t.p50Millis()),
                        fmt(t.p90Millis()), fmt(t.p99Millis()), fmt(t.p999Millis()), str(t.cpuMicrosPerRequest()),
                        Long.toString(t.errors()), str(t.upstreamConnectionsOpened()), t.note() == null ? "" : t.note()));
            }
            printRows(rows, out);
            if (r.targets().stream().anyMatch(t -> t.wrk() != null)) {
                out.println("wrk cross-check (one run per target after the rounds):");
                List<List<String>> w = new ArrayList<>();
                w.add(List.of("target", "req/s", "p50 ms", "p90 ms", "p99 ms", "CPU us/req", "errors"));
                r.targets().stream().filter(t -> t.wrk() != null).forEach(t -> w.add(List.of(t.name(),
                        fmt(t.wrk().rps()), fmt(t.wrk().p50Millis()), fmt(t.wrk().p90Millis()), fmt(t.wrk().p99Millis()),
                        str(t.wrk().cpuMicrosPerRequest()), t.wrk().errors() == null ? "" : t.wrk().errors())));
                printRows(w, out);
            }
        }
        if (r.ratios() != null && !r.ratios().isEmpty()) {
            r.ratios().forEach((k, v) -> out.printf("%-34s %s%n", k, v == null ? "-" : String.format("%.3f", v)));
        }
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
