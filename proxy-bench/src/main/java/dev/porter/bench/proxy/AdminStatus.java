package dev.porter.bench.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Porter's admin {@code GET /status} says about upstream connections (see proxy-core's
 * {@code StatusView}): {@code upstreams.<group>.servers.<address>.totals} holds each server's
 * counters summed over workers, among them {@code opened}, {@code connectErrors} (errno name to
 * count) and {@code closedReason}. This sums them over all servers.
 *
 * @param opened        upstream connections opened, or null when unknown
 * @param connectErrors connect errors by errno, or null when unknown
 * @param closedReason  upstream connections closed, by Porter's close reason, or null when unknown
 */
public record AdminStatus(Long opened, Map<String, Long> connectErrors, Map<String, Long> closedReason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Unknown everything. */
    public static final AdminStatus UNKNOWN = new AdminStatus(null, null, null);

    /** GETs {@code http://admin/status}; {@link #UNKNOWN} when it cannot be read. */
    public static AdminStatus fetch(InetSocketAddress admin) {
        if (admin == null) {
            return UNKNOWN;
        }
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + PorterConfigWriter.hostPort(admin) + "/status"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
            return resp.statusCode() == 200 ? parse(resp.body()) : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }

    /** Connect errors with this errno name; null when unknown, 0 when /status has no such entry. */
    public Long connectErrors(String errno) {
        return connectErrors == null ? null : connectErrors.getOrDefault(errno, 0L);
    }

    /** Parses a /status body: sums every server's {@code totals.opened}, {@code connectErrors} and {@code closedReason}. */
    public static AdminStatus parse(String json) throws IOException {
        JsonNode upstreams = JSON.readTree(json).path("upstreams");
        if (!upstreams.isObject()) {
            return UNKNOWN;
        }
        long opened = 0;
        boolean sawOpened = false;
        boolean sawErrors = false;
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Long> closed = new TreeMap<>();
        for (JsonNode group : upstreams) {
            for (JsonNode server : group.path("servers")) {
                JsonNode totals = server.path("totals");
                sum(totals.path("closedReason"), closed);
                JsonNode o = totals.path("opened");
                if (o.isNumber()) {
                    opened += o.asLong();
                    sawOpened = true;
                }
                JsonNode e = totals.path("connectErrors");
                if (e.isObject()) {
                    sawErrors = true;
                    sum(e, errors);
                }
            }
        }
        closed.values().removeIf(v -> v == 0);
        return new AdminStatus(sawOpened ? opened : null, sawErrors ? errors : null, sawOpened ? closed : null);
    }

    /**
     * The port budget guard as one {@code /status} body reports it: engaged when it is engaged
     * toward any server, ports held and budgets summed over servers, the threshold of the first
     * ({@code "50%"} or {@code "off"}); null when no server reports a guard (a Porter without one).
     */
    public static PortGuard portGuard(String json) throws IOException {
        JsonNode upstreams = JSON.readTree(json).path("upstreams");
        PortGuard sum = null;
        for (JsonNode group : upstreams) {
            for (JsonNode server : group.path("servers")) {
                JsonNode g = server.path("portGuard");
                if (!g.isObject()) {
                    continue;
                }
                PortGuard one = new PortGuard(g.path("engaged").asBoolean(), g.path("portsHeld").asInt(),
                        g.path("portBudget").asInt(), g.path("threshold").asText(null));
                sum = sum == null ? one : new PortGuard(sum.engaged() || one.engaged(),
                        sum.portsHeld() + one.portsHeld(), sum.portBudget() + one.portBudget(), sum.threshold());
            }
        }
        return sum;
    }

    /**
     * Porter's port budget guard toward the backend.
     *
     * @param portsHeld  Porter's own count: open connections and its own closes of the last 60 s
     * @param portBudget the local port range times the source addresses
     * @param threshold  the share of the budget at which it engages ({@code "50%"}), or {@code "off"}
     */
    public record PortGuard(boolean engaged, int portsHeld, int portBudget, String threshold) {
    }

    private static void sum(JsonNode counts, Map<String, Long> into) {
        if (counts.isObject()) {
            counts.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) {
                    into.merge(e.getKey(), e.getValue().asLong(), Long::sum);
                }
            });
        }
    }
}
