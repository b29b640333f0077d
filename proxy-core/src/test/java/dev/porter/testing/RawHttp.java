package dev.porter.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deliberately plain HTTP/1.1 client on a raw socket, so that tests control every byte
 * sent (pipelining, malformed framing, half-close) and see every byte received. Reads
 * responses framed by Content-Length, chunked, or by close.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private long received;

    public RawHttp(InetSocketAddress address) throws IOException {
        this(address, null);
    }

    /** Connects from {@code localAddress} (e.g. 127.0.0.2, to be another client IP); null = any. */
    public RawHttp(InetSocketAddress address, java.net.InetAddress localAddress) throws IOException {
        this(connect(address, localAddress));
    }

    /** Over a socket already connected, e.g. an {@code SSLSocket} for TLS tests. */
    public RawHttp(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(15_000);
        in = new java.io.BufferedInputStream(new java.io.FilterInputStream(socket.getInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    received += n;
                }
                return n;
            }
        });
        out = socket.getOutputStream();
    }

    private static Socket connect(InetSocketAddress address, java.net.InetAddress localAddress) throws IOException {
        Socket s = new Socket();
        if (localAddress != null) {
            s.bind(new InetSocketAddress(localAddress, 0));
        }
        s.connect(address, 5000);
        return s;
    }

    /** Bytes received from the peer so far. */
    public long received() {
        return received;
    }

    public Socket socket() {
        return socket;
    }

    public RawHttp send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response; {@code head} for a response to HEAD (no body whatever the headers say). */
    public Response read(boolean head) throws IOException {
        String statusLine = line();
        while (statusLine.isEmpty()) {
            statusLine = line();
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.add(new String[] {l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim()});
        }
        Response r = new Response(statusLine, status, headers);
        if (head || status == 204 || status == 304 || status < 200) {
            return r.withBody(new byte[0]);
        }
        String te = r.header("transfer-encoding");
        String cl = r.header("content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            while (true) {
                String sizeLine = line();
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    for (String t = line(); !t.isEmpty(); t = line()) {
                        r.trailers.add(t);
                    }
                    break;
                }
                body.write(in.readNBytes(size));
                line();
            }
        } else if (cl != null) {
            byte[] b = in.readNBytes(Integer.parseInt(cl));
            if (b.length < Integer.parseInt(cl)) {
                throw new EOFException("body cut short: " + b.length + " of " + cl);
            }
            body.write(b);
        } else {
            body.write(in.readAllBytes());
        }
        return r.withBody(body.toByteArray());
    }

    /** Everything the peer sends from here to its FIN (bytes already buffered by {@link #read} included). */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Reads the response and counts its body bytes without keeping them (for big bodies). */
    public long readAndCountChunked() throws IOException {
        String statusLine = line();
        for (String l = line(); !l.isEmpty(); l = line()) {
            // headers
        }
        long total = 0;
        while (true) {
            String sizeLine = line();
            int size = Integer.parseInt(sizeLine.trim(), 16);
            if (size == 0) {
                line();
                return statusLine.contains(" 200 ") ? total : -1;
            }
            in.skipNBytes(size);
            total += size;
            line();
        }
    }

    /** True when the peer closed: the next read returns end of stream. */
    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw new EOFException("connection closed; partial line: " + sb);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A response as received. */
    public static final class Response {
        public final String statusLine;
        public final int status;
        public final List<String[]> headers;
        public final List<String> trailers = new ArrayList<>();
        public byte[] body;

        Response(String statusLine, int status, List<String[]> headers) {
            this.statusLine = statusLine;
            this.status = status;
            this.headers = headers;
        }

        Response withBody(byte[] b) {
            body = b;
            return this;
        }

        public String header(String name) {
            for (String[] h : headers) {
                if (h[0].equals(name.toLowerCase(Locale.ROOT))) {
                    return h[1];
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
