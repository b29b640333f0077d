package dev.porter.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream for framing tests, built on {@link ScriptedUpstream}: it reads every request
 * completely (Content-Length or chunked body), records which connection it came on, its head
 * and its body, and answers with what a {@link Responder} returns, by default
 * {@code 200 "conn=<index> <target>"}. A request whose body never completes (Porter aborted
 * the connection) is still recorded, with {@link Received#complete()} false.
 *
 * <p>The recorded connection index is what tests use to tell whether Porter reused an upstream
 * connection after a failed exchange.
 */
public final class RecordingUpstream implements AutoCloseable {

    /**
     * The raw response to send for a request; null to close the connection without answering,
     * a response ending with {@link #THEN_CLOSE} to close the connection after writing it.
     */
    @FunctionalInterface
    public interface Responder {
        String respond(int connection, Received request);
    }

    /** One request as the upstream read it. */
    public static final class Received {
        private final int connection;
        private final String head;
        private final String method;
        private final String target;
        private volatile byte[] body;

        Received(int connection, String head) {
            this.connection = connection;
            this.head = head;
            String requestLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
            String[] parts = requestLine.split(" ", 3);
            this.method = parts[0];
            this.target = parts.length > 1 ? parts[1] : "";
        }

        public int connection() {
            return connection;
        }

        public String head() {
            return head;
        }

        public String method() {
            return method;
        }

        public String target() {
            return target;
        }

        /** The first value of {@code name}, or null. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The body, or null while (or because) it did not arrive completely. */
        public byte[] body() {
            return body;
        }

        public String bodyText() {
            return body == null ? null : new String(body, StandardCharsets.ISO_8859_1);
        }

        public boolean complete() {
            return body != null;
        }

        @Override
        public String toString() {
            return "conn " + connection + ": " + method + " " + target + (complete() ? " [" + bodyText() + "]" : " [incomplete]");
        }
    }

    /** Appended to a response: close the connection once it is written. */
    public static final String THEN_CLOSE = "\u0000then-close";

    private final ScriptedUpstream upstream;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<Integer> closedByPeer = ConcurrentHashMap.newKeySet();

    public RecordingUpstream() throws IOException {
        this((connection, request) -> ok("conn=" + connection + " " + request.target()));
    }

    public RecordingUpstream(Responder responder) throws IOException {
        upstream = new ScriptedUpstream((conn, index) -> serve(conn, index, responder));
    }

    /** A 200 response with {@code body} and its Content-Length. */
    public static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    public String address() {
        return upstream.address();
    }

    public int connections() {
        return upstream.connections();
    }

    /** Every request read so far, in arrival order. */
    public List<Received> received() {
        return received;
    }

    /** The requests read since {@code received().size()} was {@code from}. */
    public List<Received> receivedSince(int from) {
        // A snapshot first: a sub-list of the live list fails (ConcurrentModificationException)
        // when the upstream's threads append while it is copied.
        List<Received> now = List.copyOf(received);
        return now.subList(from, now.size());
    }

    /** Whether Porter closed connection {@code index} (the upstream read end of stream on it). */
    public boolean closedByPeer(int index) {
        return closedByPeer.contains(index);
    }

    private void serve(ScriptedUpstream.Conn conn, int index, Responder responder) throws IOException {
        try {
            serveRequests(conn, index, responder);
        } catch (EOFException e) {
            closedByPeer.add(index);
        }
    }

    private void serveRequests(ScriptedUpstream.Conn conn, int index, Responder responder) throws IOException {
        InputStream in = new BufferedInputStream(conn.socket().getInputStream());
        for (;;) {
            String head = readHead(in);
            if (head == null) {
                throw new EOFException();
            }
            Received r = new Received(index, head);
            received.add(r);
            byte[] body;
            try {
                body = readBody(in, r);
            } catch (NumberFormatException e) {
                return;
            }
            r.body = body;
            String response = responder.respond(index, r);
            if (response == null) {
                return;
            }
            if (response.endsWith(THEN_CLOSE)) {
                conn.write(response.substring(0, response.length() - THEN_CLOSE.length()));
                return;
            }
            conn.write(response);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, Received r) throws IOException {
        String te = r.header("transfer-encoding");
        String cl = r.header("content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (;;) {
                String sizeLine = line(in);
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt(semi >= 0 ? sizeLine.substring(0, semi) : sizeLine, 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailer fields
                    }
                    return body.toByteArray();
                }
                body.write(readExactly(in, size));
                line(in);
            }
        }
        if (cl != null) {
            return readExactly(in, Integer.parseInt(cl));
        }
        return new byte[0];
    }

    private static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("body cut short");
        }
        return b;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        throw new EOFException("connection closed");
    }

    @Override
    public void close() throws IOException {
        upstream.close();
    }
}
