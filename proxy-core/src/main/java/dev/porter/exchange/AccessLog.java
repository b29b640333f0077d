package dev.porter.exchange;

import dev.porter.client.ClientAddress;
import dev.porter.http.MessageHead;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per request on the {@code porter.access} logger: nginx's {@code combined} format
 * followed by the upstream's address, connect and response times in seconds, and whether the
 * upstream connection was reused. The client is the request's client address (PROXY, real IP):
 * <pre>127.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 18 "-" "curl/8" upstream=127.0.0.1:8080 connect=0.000 response=0.002 reused=1</pre>
 * The logger's appender is asynchronous (proxy-server's LoggingConfigurator), so the event loop only
 * formats the line; when the logger is off, nothing is formatted at all.
 */
public final class AccessLog {
    private static final Logger log = LoggerFactory.getLogger("porter.access");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private AccessLog() {
    }

    public static boolean enabled() {
        return log.isInfoEnabled();
    }

    /**
     * @param upstream      the server's host:port, or null when Porter answered itself
     * @param connectNanos  time to get the upstream connection (0 for a pooled one)
     * @param responseNanos from sending the request upstream to the response's last byte
     */
    public static void log(ClientAddress client, MessageHead request, int status, long bytesSent, String upstream,
                    long connectNanos, long responseNanos, boolean reused) {
        if (log.isInfoEnabled()) {
            log.info(format(client, request, status, bytesSent, upstream, connectNanos, responseNanos, reused, ZonedDateTime.now()));
        }
    }

    /**
     * The line of a WebSocket tunnel, written when it ends: status 101, the bytes the upstream
     * sent the client through the tunnel, {@code response=} the time to the 101, and then
     * {@code tunnel=} how long it was open (seconds) and {@code received=} the bytes the client
     * sent through it:
     * <pre>... "GET /chat HTTP/1.1" 101 5120 "-" "Java-http-client/17" upstream=127.0.0.1:8080 connect=0.000 response=0.004 reused=0 tunnel=61.210 received=2048</pre>
     */
    public static void logTunnel(ClientAddress client, MessageHead request, long bytesToClient, String upstream,
                                 long connectNanos, long responseNanos, boolean reused, long tunnelNanos,
                                 long bytesFromClient) {
        if (log.isInfoEnabled()) {
            log.info(format(client, request, 101, bytesToClient, upstream, connectNanos, responseNanos, reused, ZonedDateTime.now())
                    + String.format(Locale.ROOT, " tunnel=%.3f received=%d", tunnelNanos / 1e9, bytesFromClient));
        }
    }

    /** The line of an exchange that went upstream ({@code attempt} null when no try got a connection). */
    static void log(ClientAddress client, MessageHead request, ResponseRelay relay, UpstreamAttempt attempt) {
        UpstreamAttempt a = attempt;
        log(client, request, relay.status(), relay.bytesSent(),
                a != null ? a.pool().server().name() : null, a != null ? a.connectNanos() : 0,
                a != null && a.sentAtNanos() > 0 ? System.nanoTime() - a.sentAtNanos() : 0,
                a != null && a.reused());
    }

    static String format(ClientAddress client, MessageHead request, int status, long bytesSent, String upstream,
                         long connectNanos, long responseNanos, boolean reused, ZonedDateTime now) {
        StringBuilder sb = new StringBuilder(200);
        sb.append(client.text()).append(" - - [").append(TIME.format(now)).append("] \"")
                .append(request.method().name()).append(' ').append(request.target()).append(' ')
                .append(request.isHttp10() ? "HTTP/1.0" : "HTTP/1.1").append("\" ").append(status).append(' ').append(bytesSent)
                .append(" \"").append(orDash(request.field("referer"))).append("\" \"")
                .append(orDash(request.field("user-agent"))).append('"');
        sb.append(" upstream=").append(upstream == null ? "-" : upstream);
        if (upstream != null) {
            sb.append(String.format(Locale.ROOT, " connect=%.3f response=%.3f reused=%d",
                    connectNanos / 1e9, responseNanos / 1e9, reused ? 1 : 0));
        }
        return sb.toString();
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s.replace("\"", "\\\"");
    }
}
