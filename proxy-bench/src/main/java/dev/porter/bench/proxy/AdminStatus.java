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
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Porter's admin {@code /status} says about upstream connections: the sum of every
 * numeric field named {@code opened}, and connect errors by errno summed over every
 * {@code connect_errors} object. The JSON's shape is still settling, so it searches the whole
 * tree and answers "unknown" (null) for what it does not find.
 *
 * @param opened        upstream connections opened, or null when unknown
 * @param connectErrors connect errors by errno, or null when unknown
 */
public record AdminStatus(Long opened, Map<String, Long> connectErrors) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Unknown everything. */
    public static final AdminStatus UNKNOWN = new AdminStatus(null, null);

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

    /** Parses a /status body; tolerant of any shape. */
    public static AdminStatus parse(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        long[] opened = {0};
        boolean[] sawOpened = {false};
        Map<String, Long> errors = new TreeMap<>();
        boolean[] sawErrors = {false};
        walk(root, opened, sawOpened, errors, sawErrors);
        return new AdminStatus(sawOpened[0] ? opened[0] : null, sawErrors[0] ? errors : null);
    }

    private static void walk(JsonNode node, long[] opened, boolean[] sawOpened, Map<String, Long> errors,
            boolean[] sawErrors) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("opened") && e.getValue().isNumber()) {
                    opened[0] += e.getValue().asLong();
                    sawOpened[0] = true;
                } else if (e.getKey().equals("connect_errors") && e.getValue().isObject()) {
                    sawErrors[0] = true;
                    e.getValue().fields().forEachRemaining(err -> {
                        if (err.getValue().isNumber()) {
                            errors.merge(err.getKey(), err.getValue().asLong(), Long::sum);
                        }
                    });
                } else {
                    walk(e.getValue(), opened, sawOpened, errors, sawErrors);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, opened, sawOpened, errors, sawErrors));
        }
    }
}
