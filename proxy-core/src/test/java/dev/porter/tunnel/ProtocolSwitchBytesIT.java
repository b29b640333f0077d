package dev.porter.tunnel;

import dev.porter.testing.PorterFixture;
import dev.porter.testing.ScriptedUpstream;
import dev.porter.testing.WebSocketBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.porter.tunnel.TunnelBytes.HANDSHAKE;
import static dev.porter.tunnel.TunnelBytes.SWITCHING;
import static dev.porter.tunnel.TunnelBytes.ascii;
import static dev.porter.tunnel.TunnelBytes.concat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes that arrive in the same read as the head they follow, on real sockets: a client that
 * sends its WebSocket handshake and its first bytes in one write (one segment, TCP_NODELAY), and
 * an upstream that sends its 101 and its first bytes in one write. What follows a head belongs
 * to the protocol switched to (RFC 9110 §15.2.2): the client's must reach the upstream after the
 * handshake as they are, never parsed as a pipelined request ({@code RequestReader.switchProtocols}),
 * and the upstream's must reach the client right behind the 101, never parsed as a response
 * ({@code ResponseReader.takeRest}). Each side's early bytes start with something that looks like
 * HTTP, so that parsing them would show.
 */
class ProtocolSwitchBytesIT {
    private static final byte[] LOOKS_LIKE_A_REQUEST = ascii("GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
    private static final byte[] LOOKS_LIKE_A_RESPONSE = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

    @Test
    void bytesBehindEitherHeadInItsSegmentCrossTheTunnelAsTheyCameAndItCarriesOn() throws Exception {
        byte[] fromClient = concat(LOOKS_LIKE_A_REQUEST, TunnelBytes.pattern(0, 4000));
        byte[] fromUpstream = concat(LOOKS_LIKE_A_RESPONSE, TunnelBytes.pattern(0, 4000));
        CompletableFuture<byte[]> upstreamGot = new CompletableFuture<>();
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.socket().setTcpNoDelay(true);
            conn.readRequest();
            OutputStream out = conn.socket().getOutputStream();
            out.write(concat(ascii(SWITCHING), fromUpstream));
            InputStream in = conn.socket().getInputStream();
            upstreamGot.complete(in.readNBytes(fromClient.length));
            // Then echo until the client's FIN.
            in.transferTo(out);
        });
             PorterFixture porter = PorterFixture.start(1, new String[] {origin.address()}, "", "");
             Socket client = TunnelBytes.connect(porter.address(), 0)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(concat(ascii(HANDSHAKE), fromClient));

            assertThat(TunnelBytes.readHead(in)).startsWith("HTTP/1.1 101 ");
            assertThat(in.readNBytes(fromUpstream.length)).isEqualTo(fromUpstream);
            assertThat(upstreamGot.get(20, TimeUnit.SECONDS)).isEqualTo(fromClient);
            assertThat(origin.requests()).as("the handshake, and no request parsed from what followed it").hasSize(1);
            assertThat(origin.requests().get(0)).startsWith("GET /raw HTTP/1.1\r\n");
            assertThat(origin.connections()).isEqualTo(1);

            out.write(ascii("and-then"));
            assertThat(new String(in.readNBytes(8), StandardCharsets.ISO_8859_1)).isEqualTo("and-then");
            client.shutdownOutput();
            assertThat(in.read()).as("the upstream's FIN, carried across").isEqualTo(-1);
        }
    }

    /**
     * A megabyte behind each head, in one write each: the first read holds the head and part of
     * what follows, later reads the rest, which must come after that part on each side.
     */
    @Test
    void aMegabyteBehindEachHeadInOneWriteArrivesWholeAndInOrder() throws Exception {
        int size = 1 << 20;
        CompletableFuture<Void> upstreamGot = new CompletableFuture<>();
        try (ScriptedUpstream origin = new ScriptedUpstream((conn, i) -> {
            conn.socket().setTcpNoDelay(true);
            conn.readRequest();
            // Read on another thread while this one writes: neither side may wait for the other's reads.
            Thread reader = new Thread(() -> {
                try {
                    InputStream in = conn.socket().getInputStream();
                    TunnelBytes.expect(in, size);
                    assertThat(in.read()).as("the client's FIN after its megabyte").isEqualTo(-1);
                    upstreamGot.complete(null);
                } catch (Throwable e) {
                    upstreamGot.completeExceptionally(e);
                }
            }, "upstream-reader");
            reader.setDaemon(true);
            reader.start();
            conn.socket().getOutputStream().write(concat(ascii(SWITCHING), TunnelBytes.pattern(0, size)));
            conn.socket().shutdownOutput();
            try {
                reader.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
             PorterFixture porter = PorterFixture.start(1, new String[] {origin.address()}, "", "");
             Socket client = TunnelBytes.connect(porter.address(), 0)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    client.getOutputStream().write(concat(ascii(HANDSHAKE), TunnelBytes.pattern(0, size)));
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            InputStream in = client.getInputStream();
            assertThat(TunnelBytes.readHead(in)).startsWith("HTTP/1.1 101 ");
            TunnelBytes.expect(in, size);
            assertThat(in.read()).as("the upstream's FIN after its megabyte").isEqualTo(-1);
            sent.get(30, TimeUnit.SECONDS);
            upstreamGot.get(30, TimeUnit.SECONDS);
            assertThat(origin.requests()).hasSize(1);
        }
    }

    /**
     * A real WebSocket server (Tomcat) gets frames that came in the handshake's segment as the
     * session's first messages, after the handshake, and echoes them; the closing handshake
     * then ends the connection.
     */
    @Test
    void framesInTheHandshakesSegmentAreTheFirstMessagesARealWebSocketServerGets() throws Exception {
        byte[] binary = TunnelBytes.pattern(0, 300);
        try (WebSocketBackend tomcat = WebSocketBackend.start();
             PorterFixture porter = PorterFixture.start(1, new String[] {tomcat.address()}, "", "");
             Socket client = TunnelBytes.connect(porter.address(), 0)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(concat(ascii(HANDSHAKE.replace("/raw", "/echo")),
                    TunnelBytes.clientFrame(0x1, ascii("first")), TunnelBytes.clientFrame(0x2, binary)));

            assertThat(TunnelBytes.readHead(in)).startsWith("HTTP/1.1 101 ").containsIgnoringCase("upgrade: websocket");
            TunnelBytes.Frame text = TunnelBytes.readFrame(in);
            assertThat(text.opcode()).isEqualTo(0x1);
            assertThat(text.text()).isEqualTo("first");
            TunnelBytes.Frame bin = TunnelBytes.readFrame(in);
            assertThat(bin.opcode()).isEqualTo(0x2);
            assertThat(bin.payload()).isEqualTo(binary);

            out.write(TunnelBytes.clientFrame(0x8, TunnelBytes.closeCode(1000)));
            TunnelBytes.Frame close = TunnelBytes.readFrame(in);
            assertThat(close.opcode()).isEqualTo(0x8);
            assertThat(close.payload()).startsWith(TunnelBytes.closeCode(1000));
            assertThat(in.read()).as("Tomcat closes after the closing handshake; Porter passes it on").isEqualTo(-1);
        }
    }
}
