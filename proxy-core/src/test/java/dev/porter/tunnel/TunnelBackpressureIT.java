package dev.porter.tunnel;

import dev.porter.testing.KernelSockets;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.ScriptedUpstream;
import dev.porter.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.porter.tunnel.TunnelBytes.HANDSHAKE;
import static dev.porter.tunnel.TunnelBytes.SWITCHING;
import static dev.porter.tunnel.TunnelBytes.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backpressure across a WebSocket tunnel, on real sockets, each way: one end sends far more
 * than every buffer between the ends can hold while the other end reads nothing. Porter must
 * stop reading the sender once the receiving side's write buffer is past its high mark, so
 * the sender's writes block, and what Porter holds in memory stays within the mark (plus the
 * read that crossed it); once the receiver reads again, every byte arrives, in order, once.
 *
 * <p>What Porter holds is measured, not guessed: once the chain has settled, it is what the
 * sender wrote less what sits in the four kernel queues on the way (the sender's send queue,
 * Porter's receive queue on that side, Porter's send queue on the other, the receiver's
 * receive queue), all read from {@code /proc/net/tcp}.
 *
 * <p>Each test runs for a plain client and for a TLS client (Porter's TLS buffers count
 * against the same write buffer; the client's kernel queues then hold records, a little bigger
 * than the bytes they carry, which only makes the measure smaller by their overhead).
 */
class TunnelBackpressureIT {
    private static final int HIGH = 128 * 1024;
    private static final String WRITE_BUFFER = "write-buffer { high = 128k, low = 64k }";
    /** Porter's reads of a socket are at most this big (Netty's adaptive allocator's maximum). */
    private static final int READ = 64 * 1024;
    /** A TLS record's plaintext at most: what Porter's or the client's TLS may hold besides. */
    private static final int RECORD = 16 * 1024;
    /**
     * What Porter may hold of a paused direction: the high mark, the read that crossed it, one
     * more in flight, and a TLS record (Porter's, or one the TLS client decrypted with the 101).
     */
    private static final long PORTER_HOLDS_AT_MOST = HIGH + 2L * READ + RECORD;
    /** The test's own sockets' buffers, kept small so that they hold little of the stream. */
    private static final int SMALL_BUFFER = 64 * 1024;
    /**
     * More than the kernel can hold between the ends: the test's two small buffers (doubled by
     * the kernel), Porter's receive buffer and send buffer (autotuned up to the maxima of
     * tcp_rmem and tcp_wmem), and 32 MB besides. A sender that gets it all out while the
     * receiver reads nothing was read by Porter into memory.
     */
    private static final long TOTAL = 4L * SMALL_BUFFER + sysctlMax("tcp_rmem") + sysctlMax("tcp_wmem") + (32L << 20);

    private static final TestPki PKI = TestPki.ca("Porter Test CA");
    @TempDir
    static Path dir;
    private static String tlsListener;

    @BeforeAll
    static void certificate() throws IOException {
        TestPki.Issued localhost = PKI.issue("localhost", List.of("localhost"), "EC");
        tlsListener = "tls { certificate = \"" + localhost.writeChain(dir.resolve("fullchain.pem"))
                + "\", key = \"" + localhost.writePkcs8Key(dir.resolve("key.pem")) + "\" }";
    }

    /** The third value (the autotuning maximum) of {@code /proc/sys/net/ipv4/<name>}. */
    private static long sysctlMax(String name) {
        try {
            // Not readString: it trusts the size /proc reports and returns a truncated value.
            String[] v = Files.readAllLines(Path.of("/proc/sys/net/ipv4", name)).get(0).trim().split("\\s+");
            return Long.parseLong(v[2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PorterFixture porter(ScriptedUpstream origin, boolean tls) {
        return PorterFixture.start(1, new String[] {origin.address()}, "", tls ? tlsListener : "", WRITE_BUFFER);
    }

    /** A client connection to Porter, over TLS (handshaken, trusting the test's CA) or not. */
    private static Socket client(PorterFixture porter, boolean tls, int receiveBuffer) throws IOException {
        if (!tls) {
            return TunnelBytes.connect(porter.address(), receiveBuffer);
        }
        SSLSocket s = (SSLSocket) PKI.clientContext().getSocketFactory().createSocket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setTcpNoDelay(true);
        s.connect(porter.address(), 5000);
        s.setSoTimeout(30_000);
        s.startHandshake();
        return s;
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aClientSendingToAnUpstreamThatStopsReadingIsPausedAndLosesNothingOnceItReadsAgain(boolean tls) throws Exception {
        CountDownLatch readAgain = new CountDownLatch(1);
        AtomicReference<Socket> upstreamSocket = new AtomicReference<>();
        CompletableFuture<Long> upstreamGot = new CompletableFuture<>();
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.socket().setReceiveBufferSize(SMALL_BUFFER);
            conn.readRequest();
            conn.write(SWITCHING);
            upstreamSocket.set(conn.socket());
            try {
                assertThat(readAgain.await(60, TimeUnit.SECONDS)).isTrue();
                InputStream in = conn.socket().getInputStream();
                TunnelBytes.expect(in, TOTAL);
                assertThat(in.read()).as("nothing after the stream").isEqualTo(-1);
                upstreamGot.complete(TOTAL);
            } catch (Throwable e) {
                upstreamGot.completeExceptionally(e);
            }
        });
             PorterFixture porter = porter(origin, tls);
             Socket client = client(porter, tls, 0)) {
            client.setSendBufferSize(SMALL_BUFFER);
            client.getOutputStream().write(ascii(HANDSHAKE));
            assertThat(TunnelBytes.readHead(client.getInputStream())).startsWith("HTTP/1.1 101 ");
            await().until(() -> upstreamSocket.get() != null);
            Socket upstream = upstreamSocket.get();

            TunnelBytes.Sender sender = new TunnelBytes.Sender(TOTAL);
            sender.start(client.getOutputStream(), "client-sender");
            Chain chain = new Chain(sender,
                    client.getLocalPort(), porter.address().getPort(),
                    upstream.getPort(), upstream.getLocalPort());
            chain.awaitSettled();
            assertThat(sender.done).as("the client got everything out while the upstream read nothing: %s", chain)
                    .isNotDone();
            assertThat(chain.porterHolds()).as("bytes held by Porter: %s", chain).isLessThanOrEqualTo(PORTER_HOLDS_AT_MOST);

            readAgain.countDown();
            assertThat(sender.done.get(60, TimeUnit.SECONDS)).isEqualTo(TOTAL);
            client.shutdownOutput();
            assertThat(upstreamGot.get(60, TimeUnit.SECONDS)).isEqualTo(TOTAL);
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void anUpstreamSendingToAClientThatStopsReadingIsPausedAndLosesNothingOnceItReadsAgain(boolean tls) throws Exception {
        AtomicReference<Socket> upstreamSocket = new AtomicReference<>();
        TunnelBytes.Sender sender = new TunnelBytes.Sender(TOTAL);
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.readRequest();
            conn.write(SWITCHING);
            conn.socket().setSendBufferSize(SMALL_BUFFER);
            upstreamSocket.set(conn.socket());
            sender.run(conn.socket().getOutputStream());
            conn.socket().shutdownOutput();
            // Open until the client is done (Porter closes the connection after the client's close).
            conn.socket().getInputStream().readAllBytes();
        });
             PorterFixture porter = porter(origin, tls);
             Socket client = client(porter, tls, SMALL_BUFFER)) {
            client.getOutputStream().write(ascii(HANDSHAKE));
            // Read a byte at a time: nothing of the stream behind the head is taken from the kernel.
            assertThat(TunnelBytes.readHead(client.getInputStream())).startsWith("HTTP/1.1 101 ");
            await().until(() -> upstreamSocket.get() != null);
            Socket upstream = upstreamSocket.get();

            Chain chain = new Chain(sender,
                    upstream.getLocalPort(), upstream.getPort(),
                    porter.address().getPort(), client.getLocalPort());
            chain.awaitSettled();
            assertThat(sender.done).as("the upstream got everything out while the client read nothing: %s", chain)
                    .isNotDone();
            assertThat(chain.porterHolds()).as("bytes held by Porter: %s", chain).isLessThanOrEqualTo(PORTER_HOLDS_AT_MOST);

            InputStream in = client.getInputStream();
            TunnelBytes.expect(in, TOTAL);
            assertThat(in.read()).as("the upstream's FIN after the stream").isEqualTo(-1);
            assertThat(sender.done.get(60, TimeUnit.SECONDS)).isEqualTo(TOTAL);
        }
    }

    /**
     * The path of one direction, as four kernel queues: sender → Porter (the sender's socket,
     * Porter's socket on that side) and Porter → receiver (Porter's socket on that side, the
     * receiver's). Ports are enough to find each on loopback.
     */
    private static final class Chain {
        private static final int SETTLED_POLLS = 5;
        private final TunnelBytes.Sender sender;
        private final int senderPort;
        private final int porterInPort;
        private final int porterOutPort;
        private final int receiverPort;
        private long[] last = new long[0];
        private int unchanged;

        /**
         * @param senderPort    the sender's local port
         * @param porterInPort  Porter's port on the sender's connection
         * @param porterOutPort Porter's port on the receiver's connection
         * @param receiverPort  the receiver's local port
         */
        Chain(TunnelBytes.Sender sender, int senderPort, int porterInPort, int porterOutPort, int receiverPort) {
            this.sender = sender;
            this.senderPort = senderPort;
            this.porterInPort = porterInPort;
            this.porterOutPort = porterOutPort;
            this.receiverPort = receiverPort;
        }

        private long[] sample() {
            return new long[] {
                sender.accepted.get(),
                KernelSockets.sendQueue(senderPort, porterInPort),
                KernelSockets.receiveQueue(porterInPort, senderPort),
                KernelSockets.sendQueue(porterOutPort, receiverPort),
                KernelSockets.receiveQueue(receiverPort, porterOutPort)
            };
        }

        /**
         * Polls until nothing moves any more with the sender's bytes waiting in its send queue
         * and in Porter's receive queue (Porter stopped reading it), or until the sender is done.
         */
        void awaitSettled() {
            await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(90)).until(() -> {
                long[] now = sample();
                unchanged = Arrays.equals(now, last) ? unchanged + 1 : 0;
                last = now;
                return sender.done.isDone() || (unchanged >= SETTLED_POLLS && now[1] > 0 && now[2] > 0);
            });
        }

        /** What the sender wrote that is in none of the kernel queues (the receiver read nothing): what Porter holds. */
        long porterHolds() {
            long[] s = last;
            return s[0] - s[1] - s[2] - s[3] - s[4];
        }

        @Override
        public String toString() {
            long[] s = last;
            return "sender wrote " + s[0] + ", its send queue " + s[1] + ", Porter's receive queue " + s[2]
                    + ", Porter's send queue " + s[3] + ", the receiver's receive queue " + s[4]
                    + ": Porter holds " + porterHolds();
        }
    }
}
