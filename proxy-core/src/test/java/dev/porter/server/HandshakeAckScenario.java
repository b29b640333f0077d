package dev.porter.server;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import dev.porter.testing.NetnsChild;
import dev.porter.testing.RawHttp;
import dev.porter.testing.TestPki;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link HandshakeAckIT} inside a network namespace of its own, where the kernel's
 * counters are this scenario's alone: Porter with a TLS listener (on the transport named in the
 * arguments) and clients that each open a connection, complete a TLS 1.3 handshake with Nagle's
 * algorithm on (the JDK's default), send one request, read the answer (Porter's own 404: no
 * upstream, so that no other leg adds ACKs of its own) and close. Prints one
 * {@code RESULT key=value ...} line with the namespace's {@code TcpExt DelayedACKs}: ACKs the
 * kernel sent only when its delayed-ACK timer fired, i.e. while a peer waited for one.
 *
 * <p>Two kinds of client: the JDK's as it is, which writes its ChangeCipherSpec on its own and
 * then waits for it to be acknowledged before it sends its Finished; and without that
 * ChangeCipherSpec ({@code jdk.tls.client.useCompatibilityMode=false}), like OpenSSL's client,
 * which sends its Finished and then waits for it to be acknowledged before it sends its request.
 *
 * <p>Arguments: parent namespace, transport, {@code compat} or {@code no-compat}, connections,
 * directory for the certificate.
 */
public final class HandshakeAckScenario {
    private HandshakeAckScenario() {
    }

    public static void main(String[] args) {
        NetnsChild.runAndExit(HandshakeAckScenario::run, args);
    }

    private static void run(String[] args) throws Exception {
        NetnsChild.prepareInside(args[0]);
        String transport = args[1];
        // Read once, when the JDK's TLS is first used.
        System.setProperty("jdk.tls.client.useCompatibilityMode", Boolean.toString(args[2].equals("compat")));
        int connections = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory(Path.of(args[4]), "pki");
        TestPki pki = TestPki.ca("Porter Test CA");
        TestPki.Issued localhost = pki.issue("localhost", List.of("localhost"), "EC");
        localhost.writeChain(dir.resolve("fullchain.pem"));
        localhost.writePkcs8Key(dir.resolve("key.pem"));
        String conf = """
                porter {
                  workers = 1
                  transport = %s
                  listeners = [ { address = "127.0.0.1:0", tls { certificate = "%s", key = "%s" } } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:9" } ] } }
                  routes = [ { path-prefix = "/routed", upstream = app } ]
                  admin.enabled = false
                }
                """.formatted(transport, dir.resolve("fullchain.pem"), dir.resolve("key.pem"));
        SSLContext client = pki.clientContext();
        try (Porter porter = Porter.start(ConfigLoader.parse(conf, "scenario.conf"))) {
            InetSocketAddress address = porter.listenAddresses().get(0);
            // One connection first: class loading and the JIT's first compilations are not measured.
            exchange(client, address);
            long before = NetnsChild.tcpExt("DelayedACKs");
            int notFound = 0;
            boolean nagle = true;
            for (int i = 0; i < connections; i++) {
                Exchange e = exchange(client, address);
                notFound += e.status == 404 ? 1 : 0;
                nagle &= e.nagle;
            }
            long delayed = NetnsChild.tcpExt("DelayedACKs") - before;
            System.out.println("RESULT connections=" + connections + " notFound=" + notFound
                    + " nagle=" + nagle + " delayedAcks=" + delayed);
        }
    }

    private record Exchange(int status, boolean nagle) {
    }

    private static Exchange exchange(SSLContext ctx, InetSocketAddress address) throws Exception {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.setEnabledProtocols(new String[] {"TLSv1.3"});
            s.connect(address, 10_000);
            s.setSoTimeout(30_000);
            s.startHandshake();
            try (RawHttp c = new RawHttp(s)) {
                int status = c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status;
                return new Exchange(status, !s.getTcpNoDelay());
            }
        }
    }
}
