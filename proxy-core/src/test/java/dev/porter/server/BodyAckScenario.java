package dev.porter.server;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import dev.porter.testing.NetnsChild;
import dev.porter.testing.RawHttp;
import dev.porter.testing.StaticOrigin;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run by {@link BodyAckIT} inside a network namespace of its own, where the kernel's counters are
 * this scenario's alone: Porter (on the transport named in the arguments) in front of an origin,
 * and one keep-alive client that reads each answer before its next request. One side writes each
 * message's head and its body apart, with Nagle's algorithm on (the JDK's default), so that its
 * kernel holds the body back until the head is acknowledged:
 * <ul>
 *   <li>{@code request}: the client, for each POST (as the JDK's {@code HttpURLConnection}
 *       does), in front of a {@link StaticOrigin};</li>
 *   <li>{@code response}: the origin ({@link SplitResponseOrigin}), for each response to a GET
 *       (as Python's {@code http.server} does).</li>
 * </ul>
 * Prints one {@code RESULT key=value ...} line with the namespace's {@code TcpExt DelayedACKs}:
 * ACKs the kernel sent only when its delayed-ACK timer fired, i.e. while a peer waited for one.
 *
 * <p>Arguments: parent namespace, transport, {@code request} or {@code response}, requests.
 */
public final class BodyAckScenario {
    private static final String POST_HEAD = "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n";

    private BodyAckScenario() {
    }

    public static void main(String[] args) {
        NetnsChild.runAndExit(BodyAckScenario::run, args);
    }

    private static void run(String[] args) throws Exception {
        NetnsChild.prepareInside(args[0]);
        String transport = args[1];
        boolean splitRequests = args[2].equals("request");
        int requests = Integer.parseInt(args[3]);
        try (StaticOrigin staticOrigin = new StaticOrigin(new InetSocketAddress("127.0.0.1", 0));
             SplitResponseOrigin splitOrigin = new SplitResponseOrigin()) {
            int originPort = splitRequests ? staticOrigin.address().getPort() : splitOrigin.port();
            String conf = """
                    porter {
                      workers = 1
                      transport = %s
                      listeners = [ { address = "127.0.0.1:0" } ]
                      upstreams { app { servers = [ { address = "127.0.0.1:%d" } ] } }
                      routes = [ { path-prefix = "/", upstream = app } ]
                      admin.enabled = false
                    }
                    """.formatted(transport, originPort);
            try (Porter porter = Porter.start(ConfigLoader.parse(conf, "scenario.conf"));
                 RawHttp client = new RawHttp(porter.listenAddresses().get(0))) {
                // One request first: class loading, the JIT's first compilations and the
                // upstream connection's set-up are not counted.
                exchange(client, splitRequests);
                long before = NetnsChild.tcpExt("DelayedACKs");
                int ok = 0;
                for (int i = 0; i < requests; i++) {
                    ok += exchange(client, splitRequests) == 200 ? 1 : 0;
                }
                long delayed = NetnsChild.tcpExt("DelayedACKs") - before;
                int originRequests = splitRequests ? staticOrigin.requests() : splitOrigin.requests();
                boolean nagle = splitRequests ? !client.socket().getTcpNoDelay() : splitOrigin.nagle();
                System.out.println("RESULT requests=" + requests + " ok=" + ok + " originRequests=" + originRequests
                        + " nagle=" + nagle + " delayedAcks=" + delayed);
            }
        }
    }

    /** One request: a POST whose head and body leave in two writes, or a GET in one; returns the status. */
    private static int exchange(RawHttp client, boolean splitRequest) throws Exception {
        if (splitRequest) {
            client.send(POST_HEAD);
            client.send("hello");
        } else {
            client.send("GET /download HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        return client.read().status;
    }

    /**
     * An origin on plain sockets, Nagle's algorithm left on, that answers every request (a GET:
     * a head and no body) with a head and then a 5-byte body in a second write, on keep-alive
     * connections, one thread each.
     */
    private static final class SplitResponseOrigin implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        private final AtomicInteger requests = new AtomicInteger();
        private volatile boolean nagle = true;

        SplitResponseOrigin() throws Exception {
            Thread acceptor = new Thread(this::accept, "split-origin");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int requests() {
            return requests.get();
        }

        boolean nagle() {
            return nagle;
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "split-origin-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (Exception e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                nagle &= !s.getTcpNoDelay();
                while (readHead(in)) {
                    requests.incrementAndGet();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    out.write("hello".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (Exception e) {
                // The connection ended: Porter closed it, or the scenario is over.
            }
        }

        /** Reads one request head (up to its blank line); false at the end of the stream. */
        private static boolean readHead(InputStream in) throws Exception {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
