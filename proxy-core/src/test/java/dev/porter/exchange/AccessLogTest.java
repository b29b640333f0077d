package dev.porter.exchange;

import dev.porter.client.ClientAddress;
import dev.porter.http.MessageHead;
import dev.porter.testing.Heads;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogTest {
    private static final ZonedDateTime NOON = ZonedDateTime.of(2026, 11, 22, 12, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void combinedFormatWithUpstreamTimingsAndReuse() {
        MessageHead r = Heads.request("GET /a?b=1 HTTP/1.1\r\nHost: a\r\nUser-Agent: curl/8\r\nReferer: http://x/\"q\"\r\n\r\n");
        String line = AccessLog.format(ClientAddress.of(new InetSocketAddress("127.0.0.1", 5555)), r, 200, 18, "127.0.0.1:8080",
                1_500_000, 2_000_000, true, NOON);
        r.release();
        assertThat(line).isEqualTo("127.0.0.1 - - [22/Nov/2026:12:00:00 +0000] \"GET /a?b=1 HTTP/1.1\" 200 18"
                + " \"http://x/\\\"q\\\"\" \"curl/8\" upstream=127.0.0.1:8080 connect=0.002 response=0.002 reused=1");
    }

    @Test
    void localAnswersHaveNoUpstream() {
        MessageHead r = Heads.request("POST /x HTTP/1.0\r\n\r\n");
        String line = AccessLog.format(ClientAddress.of(new InetSocketAddress("::1", 1)), r, 413, 0, null, 0, 0, false, NOON);
        r.release();
        // IPv6 as nginx writes it (RFC 5952), not Java's 0:0:0:0:0:0:0:1.
        assertThat(line).startsWith("::1 - - ").endsWith("\"POST /x HTTP/1.0\" 413 0 \"-\" \"-\" upstream=-");
    }
}
