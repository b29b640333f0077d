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
 * lost, doubled or reordered byte by its offset, and the few WebSocket frames (RFC 6455 §5.2)
 * that tests speaking to a real WebSocket server need.
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

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** A whole WebSocket frame as a client sends it: FIN, masked (RFC 6455 §5.3), a payload under 64 KiB. */
    static byte[] clientFrame(int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        }
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    /** A close frame's payload: the status code (RFC 6455 §5.5.1). */
    static byte[] closeCode(int code) {
        return new byte[] {(byte) (code >>> 8), (byte) code};
    }

    /** One frame as a server sends it (unmasked). */
    record Frame(int opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Reads one unmasked frame. */
    static Frame readFrame(InputStream in) throws IOException {
        byte[] two = in.readNBytes(2);
        if (two.length < 2) {
            throw new EOFException("closed before a frame");
        }
        long length = two[1] & 0x7f;
        if (length == 126) {
            byte[] l = in.readNBytes(2);
            length = ((l[0] & 0xff) << 8) | (l[1] & 0xff);
        } else if (length == 127) {
            length = java.nio.ByteBuffer.wrap(in.readNBytes(8)).getLong();
        }
        if ((two[1] & 0x80) != 0) {
            throw new AssertionError("a server's frame is never masked");
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("closed in a frame");
        }
        return new Frame(two[0] & 0x0f, (two[0] & 0x80) != 0, payload);
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
