package dev.porter.observe;

import dev.porter.config.ProxyConfig;
import dev.porter.metrics.SizingAdvice;
import dev.porter.metrics.StatusSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Porter's counters as Micrometer meters, for {@code GET /metrics} ({@code registry.scrape()}).
 *
 * <p>The counters live on the workers and are only read through snapshots, so no meter holds
 * a value of its own: each is a {@link FunctionCounter} or {@link Gauge} that looks its value up
 * in the latest snapshot, kept in an {@link AtomicReference}. The {@code record} methods swap a
 * new snapshot in and then register the meters its tag combinations need: a pool that appears
 * after a reload, an errno seen for the first time, a TCP state that shows up. Meters of pools
 * and servers that are gone (after a reload) are removed again. A meter whose key is missing
 * from the latest snapshot reads NaN rather than a made-up zero.
 *
 * <p>Metric names (Prometheus):
 * <pre>
 * porter_client_connections{worker,state=active|idle}                         gauge
 * porter_client_connections_accepted_total{worker}                            counter
 * porter_client_requests_total{worker}                                        counter
 * porter_client_responses_total{worker,code=1xx..5xx}                         counter
 * porter_upstream_connections{worker,upstream,server,state=idle|active}       gauge
 * porter_upstream_connections_peak_active{worker,upstream,server}             gauge (last minute)
 * porter_upstream_connections_opened_total{worker,upstream,server}            counter
 * porter_upstream_connections_closed_total{worker,upstream,server,by}         counter (proxy, upstream, reset)
 * porter_upstream_connections_closed_reason_total{worker,upstream,server,reason} counter
 * porter_upstream_requests_total{worker,upstream,server}                      counter
 * porter_upstream_reused_requests_total{worker,upstream,server}               counter
 * porter_upstream_stale_retries_total{worker,upstream,server}                 counter
 * porter_upstream_connect_errors_total{worker,upstream,server,errno}          counter
 * porter_upstream_peak_active_per_worker{upstream,server}                     gauge (sizing)
 * porter_upstream_keepalive{upstream,server}                                  gauge (sizing)
 * porter_upstream_recommended_keepalive{upstream,server}                      gauge (sizing; 0 = fine)
 * porter_upstream_churn_per_1000_requests{upstream,server}                    gauge (sizing)
 * porter_tcp_census_available                                                 gauge (1, or 0 off Linux)
 * porter_tcp_client_sockets{state}                                            gauge
 * porter_tcp_upstream_sockets{upstream,server,side=proxy|upstream,state}      gauge
 * porter_tcp_upstream_ports_held{upstream,server}                             gauge
 * porter_tcp_upstream_port_budget{upstream,server}                            gauge
 * porter_tcp_upstream_port_budget_used_percent{upstream,server}               gauge
 * </pre>
 *
 * <p>Each source has its meters in a class of its own: {@link StatusMeters} (per worker and per
 * server), {@link SizingMeters}, {@link TcpMeters}.
 *
 * <p>Thread-safety: the {@code record} methods are called from one thread (admin-tasks) and
 * own the bookkeeping of registered meters; the meters' functions run on whatever thread
 * scrapes and only read the {@link AtomicReference}s.
 */
public final class PorterMeters {
    private final TcpMeters tcp;
    private final StatusMeters status;
    private final SizingMeters sizing;

    public PorterMeters(MeterRegistry registry) {
        this.tcp = new TcpMeters(registry);
        this.status = new StatusMeters(registry);
        this.sizing = new SizingMeters(registry);
    }

    /** Swaps in the workers' counters and registers meters for new workers, pools and errnos. */
    public void record(StatusSnapshot snapshot) {
        status.record(snapshot);
    }

    /** Swaps in the latest sizing advice and registers meters for servers seen for the first time. */
    public void record(List<SizingAdvice> advice) {
        sizing.record(advice);
    }

    /**
     * Swaps in the kernel's view, matched to the servers of {@code config} (the configuration
     * the census was taken with). An unavailable census keeps every meter, reading NaN.
     */
    public void record(TcpReading reading, ProxyConfig config) {
        tcp.record(reading, config);
    }
}
