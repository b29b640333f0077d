package dev.porter.tunnel;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the tunnel ITs on raw sockets share: a WebSocket handshake and a 101 as bytes, a head
 * reader that takes not one byte past the head (what follows belongs to the tunnel), and a
 * stream of bytes whose every value depends on its position, so that a receiver can tell a
 * lost, doubled or reordered byte by its offset.
 */
final class TunnelBytes {
    /** A client's WebSocket handshake (RFC 6455 §1.3's key) for {@code /raw}. */
    static final String HANDSHAKE = "GET /raw HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    /** An upstream's answer to {@link #HANDSHAKE}. */
    static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";

    private TunnelBytes() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A client socket to {@code address}, with TCP_NODELAY (each write goes out as it is) and a read timeout. */
    static Socket connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            // Before the connect: the window scale is agreed in the SYN.
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.setTcpNoDelay(true);
        s.connect(address, 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Reads one head up to and with its blank line, a byte at a time so that nothing after it is taken. */
    static String readHead(InputStream in) throws IOException {
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
        throw new EOFException("closed in a head: " + head.toString(StandardCharsets.ISO_8859_1));
    }

    /** The byte at {@code position} of the stream (a multiplicative hash: neighbours differ). */
    static byte at(long position) {
        return (byte) ((position * 0x9E3779B97F4A7C15L) >>> 56);
    }

    /** {@code b.length} bytes of the stream from {@code from}. */
    static byte[] pattern(long from, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = at(from + i);
        }
        return b;
    }

    /**
     * Reads {@code count} bytes of the stream from its start and checks each one.
     *
     * @throws AssertionError at the first byte that is not the stream's at its offset
     * @throws EOFException   when the stream ends short
     */
    static void expect(InputStream in, long count) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long position = 0;
        while (position < count) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, count - position));
            if (n < 0) {
                throw new EOFException("the stream ended after " + position + " of " + count + " bytes");
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] != at(position + i)) {
                    throw new AssertionError("byte " + (position + i) + " is " + buf[i] + ", expected " + at(position + i));
                }
            }
            position += n;
        }
    }

    /**
     * Writes the stream's first {@code total} bytes in small blocking writes, counting what the
     * kernel took so far (short by at most one write in progress).
     */
    static final class Sender {
        static final int WRITE = 8 * 1024;
        final AtomicLong accepted = new AtomicLong();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final long total;

        Sender(long total) {
            this.total = total;
        }

        /** Writes on this thread until all is sent or the socket fails. */
        void run(OutputStream out) {
            try {
                for (long p = 0; p < total; p += WRITE) {
                    out.write(pattern(p, (int) Math.min(WRITE, total - p)));
                    accepted.addAndGet(Math.min(WRITE, total - p));
                }
                out.flush();
                done.complete(accepted.get());
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        /** Writes on a thread of its own (a daemon: a failed test closes the socket under it). */
        void start(OutputStream out, String name) {
            Thread t = new Thread(() -> run(out), name);
            t.setDaemon(true);
            t.start();
        }
    }
}
