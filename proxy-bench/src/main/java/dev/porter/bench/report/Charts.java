package dev.porter.bench.report;

import dev.porter.bench.tcp.TimelinePoint;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * PNG charts of a {@link BenchReport} (XChart, headless): for incident scenarios one chart per
 * mode of TIME_WAIT over time by side; for throughput requests/s and latency per target.
 */
public final class Charts {
    private Charts() {
    }

    /** Writes the charts into {@code dir}; returns the files written. */
    public static List<Path> write(BenchReport r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (r.modes() != null) {
            for (ModeResult m : r.modes()) {
                if (!m.timeline().isEmpty()) {
                    written.add(save(timewait(r.scenario(), m), dir.resolve(r.scenario() + "-" + m.name() + "-timewait")));
                }
            }
        }
        if (r.targets() != null && r.targets().stream().anyMatch(TargetResult::ran)) {
            List<TargetResult> ran = r.targets().stream().filter(TargetResult::ran).toList();
            written.add(save(bars("requests/s per target and concurrency", "req/s", ran, List.of("req/s"),
                    t -> List.of(t.rps())), dir.resolve(r.scenario() + "-rps")));
            written.add(save(bars("latency per target and concurrency", "ms", ran, List.of("p50", "p90", "p99"),
                    t -> List.of(t.p50Millis(), t.p90Millis(), t.p99Millis())),
                    dir.resolve(r.scenario() + "-latency")));
            if (ran.stream().anyMatch(t -> t.cpuUserMicrosPerRequest() != null)) {
                List<TargetResult> proxies = ran.stream().filter(t -> t.cpuUserMicrosPerRequest() != null).toList();
                written.add(save(bars("proxy CPU per request", "us", proxies, List.of("user", "sys"),
                        t -> List.of(t.cpuUserMicrosPerRequest(), t.cpuSysMicrosPerRequest())),
                        dir.resolve(r.scenario() + "-cpu")));
            }
        }
        if (r.warmup() != null && !r.warmup().perSecondRps().isEmpty()) {
            XYChart c = new XYChartBuilder().width(800).height(450).title("Porter from a cold start")
                    .xAxisTitle("seconds since spawn").yAxisTitle("req/s").build();
            c.getStyler().setXAxisDecimalPattern("0");
            List<Double> x = new ArrayList<>();
            for (int i = 0; i < r.warmup().perSecondRps().size(); i++) {
                x.add(r.warmup().listeningAfterSeconds() + i + 1);
            }
            c.addSeries("req/s", x, r.warmup().perSecondRps()).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            written.add(save(c, dir.resolve(r.scenario() + "-rps")));
        }
        return written;
    }

    private static XYChart timewait(String scenario, ModeResult m) {
        XYChart c = new XYChartBuilder().width(800).height(m.guardTimeline().isEmpty() ? 450 : 560)
                .title(scenario + " / " + m.name() + ": sockets in TIME_WAIT")
                .xAxisTitle("seconds").yAxisTitle("TIME_WAIT").build();
        series(c, "proxy side (upstream leg)", m.timeline(), TimelinePoint::proxySide);
        series(c, "upstream (Tomcat) side", m.timeline(), TimelinePoint::upstreamSide);
        series(c, "client leg", m.timeline(), TimelinePoint::clientLeg);
        guard(c, m);
        return c;
    }

    /**
     * Porter's own count of the ports it holds toward the backend, beside the kernel's TIME_WAIT,
     * and the line at which its guard engages: where the count flattens, the guard holds it.
     */
    private static void guard(XYChart c, ModeResult m) {
        List<GuardPoint> points = m.guardTimeline();
        if (points.isEmpty()) {
            return;
        }
        // five long series names: below the plot they leave the title and the plot their width
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        c.setYAxisTitle("sockets in TIME_WAIT / ports held");
        c.addSeries("ports Porter holds toward the backend (its guard's count)",
                points.stream().map(GuardPoint::seconds).toList(),
                points.stream().map(p -> (double) p.portsHeld()).toList())
                .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        Integer percent = percent(m.guardThreshold());
        if (percent != null && m.portBudget() != null && percent > 0) {
            double level = m.portBudget() * percent / 100.0;
            double end = Math.max(points.get(points.size() - 1).seconds(),
                    m.timeline().isEmpty() ? 0 : m.timeline().get(m.timeline().size() - 1).seconds());
            c.addSeries("guard threshold (" + percent + "% of " + m.portBudget() + " ports)", List.of(0.0, end),
                    List.of(level, level)).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        if (Boolean.TRUE.equals(m.guardEngaged())) {
            c.setTitle(c.getTitle() + " (guard engaged)");
        }
    }

    /** 50 for "50%"; null for "off" or anything else. */
    static Integer percent(String threshold) {
        if (threshold == null || !threshold.endsWith("%")) {
            return null;
        }
        try {
            return Integer.parseInt(threshold.substring(0, threshold.length() - 1).trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void series(XYChart c, String name, List<TimelinePoint> points, Function<TimelinePoint, Integer> side) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (TimelinePoint p : points) {
            Integer v = side.apply(p);
            if (v != null) {
                x.add(p.seconds());
                y.add(v.doubleValue());
            }
        }
        if (!x.isEmpty()) {
            c.addSeries(name, x, y).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
    }

    private static CategoryChart bars(String title, String yTitle, List<TargetResult> targets, List<String> seriesNames,
            Function<TargetResult, List<Double>> values) {
        // one target per concurrency makes many bars: widen the chart and tilt the labels so they stay legible
        CategoryChart c = new CategoryChartBuilder().width(Math.max(800, 90 * targets.size())).height(450).title(title)
                .yAxisTitle(yTitle).build();
        if (targets.size() > 6) {
            c.getStyler().setXAxisLabelRotation(45);
        }
        List<String> names = targets.stream().map(TargetResult::label).toList();
        for (int s = 0; s < seriesNames.size(); s++) {
            int idx = s;
            c.addSeries(seriesNames.get(s), names, targets.stream().map(t -> values.apply(t).get(idx)).toList());
        }
        return c;
    }

    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path base) throws IOException {
        BitmapEncoder.saveBitmap(chart, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }
}
