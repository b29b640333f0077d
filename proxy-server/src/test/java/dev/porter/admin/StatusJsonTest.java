package dev.porter.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.porter.observe.StatusView;
import dev.porter.observe.StatusView.ClientCounts;
import dev.porter.observe.StatusView.Clients;
import dev.porter.observe.StatusView.Connections;
import dev.porter.observe.StatusView.Health;
import dev.porter.observe.StatusView.LastFailure;
import dev.porter.observe.StatusView.PoolCounts;
import dev.porter.observe.StatusView.PortGuard;
import dev.porter.observe.StatusView.Server;
import dev.porter.observe.StatusView.Settings;
import dev.porter.observe.StatusView.Upstream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /status} is written byte for byte as Jackson's default pretty printer wrote it, with
 * the admin listener's settings of then (null members left out, null map values written):
 * scripts that read the document, or diff two of them, see no change.
 */
class StatusJsonTest {
    /** How AdminServer configured Jackson before StatusJson. */
    private static final ObjectWriter JACKSON = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.ALWAYS))
            .writerWithDefaultPrettyPrinter();

    private static void assertSameAsJackson(Object value) throws Exception {
        assertThat(StatusJson.write(value)).isEqualTo(JACKSON.writeValueAsString(value));
    }

    private static Map<String, Long> counts(String... keys) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            m.put(keys[i], (long) i * 7);
        }
        return m;
    }

    private static PoolCounts pool(Integer worker, Integer peak) {
        return new PoolCounts(worker, 2, 1, 1, 0, peak, worker == null ? null : 4, 9, 1200, 1191, 6,
                counts("proxy", "upstream", "reset"), counts("idle-timeout", "keepalive-requests", "upstream-closed"),
                3, new TreeMap<>(Map.of("EADDRNOTAVAIL", 5L, "ECONNREFUSED", 1L)), 0);
    }

    /** A document with every record of StatusView, null and non-null members, empty and nested containers. */
    static StatusView fullDocument() {
        ClientCounts w0 = new ClientCounts(0, 3, 1, 2, 0, 40, 1000, 0, counts("1xx", "2xx", "3xx", "4xx", "5xx"));
        ClientCounts w1 = new ClientCounts(1, 0, 0, 0, 1, 0, 0, 2, counts("1xx", "2xx", "3xx", "4xx", "5xx"));
        ClientCounts total = new ClientCounts(null, 3, 1, 2, 1, 40, 1000, 2, counts("1xx", "2xx", "3xx", "4xx", "5xx"));
        Map<String, Object> clientTcp = new LinkedHashMap<>();
        clientTcp.put("ESTABLISHED", 3);
        clientTcp.put("TIME_WAIT", 0);
        clientTcp.put("CLOSE_WAIT", 0);

        Map<String, Object> serverTcp = new LinkedHashMap<>();
        serverTcp.put("proxySide", new LinkedHashMap<>(Map.of("ESTABLISHED", 3)));
        serverTcp.put("upstreamSide", new LinkedHashMap<>());
        serverTcp.put("portsHeld", 612);
        serverTcp.put("portBudget", 28232L);
        serverTcp.put("portBudgetUsedPercent", 2.17);
        Map<String, Object> sizing = new LinkedHashMap<>();
        sizing.put("window", "1m");
        sizing.put("churnPer1000", 0.0);
        sizing.put("advice", "a worker had 12 requests in flight but keepalive is 4: consider keepalive = 12");
        sizing.put("nothing", null);

        Server down = new Server("127.0.0.1:8080",
                new Health("down", "2026-01-01T00:01:35Z", false, 3, 3, "10s",
                        new LastFailure("2026-01-01T00:01:25Z", "upstream closed the connection before responding")),
                new Connections(6, 8, 3), new PortGuard(true, 612, 28232, "50%", List.of("10.0.0.5", "10.0.0.6")),
                pool(null, null), List.of(pool(0, 3), pool(1, 12)), serverTcp, sizing);
        Map<String, Object> unavailable = new LinkedHashMap<>();
        unavailable.put("unavailable", "cannot read /proc/net/tcp: \"No such file\" \\ \t\u0001");
        Server added = new Server("[::1]:8081", null, null, null, pool(null, null), List.of(), unavailable, unavailable);

        Map<String, Server> servers = new LinkedHashMap<>();
        servers.put("127.0.0.1:8080", down);
        servers.put("[::1]:8081", added);
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        upstreams.put("app", new Upstream(new Settings("auto", 1000, "15s", "1h", 0, "proxy", "1.1"), servers));
        upstreams.put("empty", new Upstream(new Settings("16", 100, "500ms", "1h", 4, "upstream", "1.0"), new LinkedHashMap<>()));
        return new StatusView("0.1.0-SNAPSHOT", "2026-01-01T00:00:00.123456789Z", "2026-01-01T00:01:30Z", 90, 2, "io_uring",
                List.of("127.0.0.1:8000", "[::1]:8443"), new Clients(total, List.of(w0, w1), clientTcp), upstreams);
    }

    @Test
    void aWholeStatusDocumentIsWhatJacksonWrote() throws Exception {
        StatusView doc = fullDocument();

        assertSameAsJackson(doc);
        // The layout scripts see: two spaces per level, " : ", arrays on one line.
        assertThat(StatusJson.write(doc)).startsWith("{\n  \"version\" : \"0.1.0-SNAPSHOT\",\n")
                .contains("\"listeners\" : [ \"127.0.0.1:8000\", \"[::1]:8443\" ],")
                .contains("\"workers\" : [ ],").contains("\"upstreamSide\" : { },").contains("\"nothing\" : null")
                .doesNotContain("\"health\" : null").endsWith("\n}");
    }

    /** What each kind of value looks like, alone and nested: the cases a document can hold. */
    record Sample(String text, Integer absent, int i, long l, double d, boolean b, List<Object> list, Map<String, Object> map) {
    }

    @Test
    void everyKindOfValueIsWrittenAsJacksonWroteIt() throws Exception {
        StringBuilder control = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            control.append(c);
        }
        String text = "quote \" backslash \\ slash / controls " + control + " del \u007f é ü 東京 \uD83D\uDE00 \u2028";
        List<Object> list = new ArrayList<>(Arrays.asList("a", null, 1, 2L, 0.5, true, List.of(), Map.of(),
                List.of(List.of(1, 2), Map.of("k", "v")), new Sample("in a list", null, 0, 0, 0, false, List.of(), Map.of())));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("null", null);
        map.put("negative", -3);
        map.put("large", Long.MAX_VALUE);
        map.put("tiny", 1.0E-4);
        map.put("huge", 1.5E21);
        map.put("whole", 100.0);
        map.put("NaN", Double.NaN);
        map.put("infinite", Double.NEGATIVE_INFINITY);
        map.put("nested", Map.of("deeper", Map.of("deepest", List.of(Map.of("x", 1)))));
        map.put(text, text);

        assertSameAsJackson(new Sample(text, null, Integer.MIN_VALUE, Long.MIN_VALUE, -0.0, true, list, map));
        assertSameAsJackson(new Sample("", 7, 0, 0, 3.0, false, List.of(), Map.of()));
        assertSameAsJackson(List.of(Map.of(), List.of(), "top"));
    }

    @Test
    void aValueOfAnotherTypeIsRefusedWithItsClass() {
        assertThatThrownBy(() -> StatusJson.write(Map.of("when", java.time.Instant.EPOCH)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.time.Instant");
    }
}
