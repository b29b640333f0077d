package dev.porter.cli;

import dev.porter.metrics.ClientSnapshot;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.metrics.StatusSnapshot;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Writes a {@link StatusSnapshot} in the Prometheus text exposition format (0.0.4): per worker
 * client connections and responses; per worker and upstream server pool idle/active,
 * connections opened, requests and reused requests, closes by who closed, stale-connection
 * retries and connect errors by errno. Pure function of the snapshot.
 */
final class PrometheusText {
    private PrometheusText() {
    }

    static String format(StatusSnapshot s) {
        StringBuilder out = new StringBuilder(4096);
        header(out, "porter_client_connections", "gauge", "Open client connections by state (active: a request in flight).");
        for (ClientSnapshot c : s.clients()) {
            sample(out, "porter_client_connections", labels("worker", c.worker(), "state", "active"), c.active());
            sample(out, "porter_client_connections", labels("worker", c.worker(), "state", "idle"), c.idle());
        }
        clientCounter(out, s, "porter_client_connections_accepted_total", "Client connections accepted.", ClientSnapshot::accepted);
        clientCounter(out, s, "porter_client_requests_total", "Requests received from clients.", ClientSnapshot::requests);
        header(out, "porter_client_responses_total", "counter", "Responses sent to clients by status class.");
        for (ClientSnapshot c : s.clients()) {
            long[] byClass = {c.responses1xx(), c.responses2xx(), c.responses3xx(), c.responses4xx(), c.responses5xx()};
            for (int i = 0; i < byClass.length; i++) {
                sample(out, "porter_client_responses_total", labels("worker", c.worker(), "code", (i + 1) + "xx"), byClass[i]);
            }
        }

        header(out, "porter_upstream_connections", "gauge", "Upstream connections per worker and server: idle in the pool, or active.");
        for (PoolSnapshot p : s.pools()) {
            sample(out, "porter_upstream_connections", pool(p, "state", "idle"), p.idle());
            sample(out, "porter_upstream_connections", pool(p, "state", "active"), p.active());
        }
        poolGauge(out, s, "porter_upstream_connections_peak_active", "Most connections active at once.", PoolSnapshot::peakActive);
        poolCounter(out, s, "porter_upstream_connections_opened_total", "Upstream connections opened (each new one may leave a TIME_WAIT).", PoolSnapshot::opened);
        poolCounter(out, s, "porter_upstream_requests_total", "Requests sent upstream.", PoolSnapshot::requests);
        poolCounter(out, s, "porter_upstream_reused_requests_total", "Requests sent on a reused (pooled) connection.", PoolSnapshot::reusedRequests);
        poolCounter(out, s, "porter_upstream_stale_retries_total", "Requests retried after a reused connection turned out closed.", PoolSnapshot::staleRetries);
        poolMap(out, s, "porter_upstream_closed_total", "Upstream connections closed, by who closed first (and so holds TIME_WAIT).", "by", PoolSnapshot::closedBy);
        poolMap(out, s, "porter_upstream_closed_reason_total", "Upstream connections closed, by reason.", "reason", PoolSnapshot::closedReason);
        poolMap(out, s, "porter_upstream_connect_errors_total", "Failed connects by errno (EADDRNOTAVAIL: out of local ports).", "errno", PoolSnapshot::connectErrors);
        return out.toString();
    }

    private static void clientCounter(StringBuilder out, StatusSnapshot s, String name, String help, ToLongFunction<ClientSnapshot> f) {
        header(out, name, "counter", help);
        for (ClientSnapshot c : s.clients()) {
            sample(out, name, labels("worker", c.worker()), f.applyAsLong(c));
        }
    }

    private static void poolGauge(StringBuilder out, StatusSnapshot s, String name, String help, ToLongFunction<PoolSnapshot> f) {
        header(out, name, "gauge", help);
        for (PoolSnapshot p : s.pools()) {
            sample(out, name, pool(p), f.applyAsLong(p));
        }
    }

    private static void poolCounter(StringBuilder out, StatusSnapshot s, String name, String help, ToLongFunction<PoolSnapshot> f) {
        header(out, name, "counter", help);
        for (PoolSnapshot p : s.pools()) {
            sample(out, name, pool(p), f.applyAsLong(p));
        }
    }

    private static void poolMap(StringBuilder out, StatusSnapshot s, String name, String help, String key,
                                java.util.function.Function<PoolSnapshot, Map<String, Long>> f) {
        header(out, name, "counter", help);
        for (PoolSnapshot p : s.pools()) {
            // Sorted so that scrapes are stable and diffable.
            for (Map.Entry<String, Long> e : new TreeMap<>(f.apply(p)).entrySet()) {
                sample(out, name, pool(p, key, e.getKey()), e.getValue());
            }
        }
    }

    private static String pool(PoolSnapshot p, String... extra) {
        StringBuilder sb = new StringBuilder(labels("worker", p.worker(), "upstream", p.upstream(), "server", p.server()));
        for (int i = 0; i < extra.length; i += 2) {
            sb.append(',').append(extra[i]).append("=\"").append(escape(extra[i + 1])).append('"');
        }
        return sb.toString();
    }

    private static String labels(Object... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(kv[i]).append("=\"").append(escape(String.valueOf(kv[i + 1]))).append('"');
        }
        return sb.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, long value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    /** Label values escape backslash, quote and newline (exposition format 0.0.4). */
    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
