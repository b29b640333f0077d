package dev.porter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket upstream that misbehaves on purpose, one script per accepted connection
 * (answer then close mid-request, answer early, cut a body...). Every request head it reads
 * is recorded, so tests can assert what reached the upstream and how often.
 */
public final class ScriptedUpstream implements AutoCloseable {
    /** What to do with one accepted connection; {@code index} counts connections from 0. */
    @FunctionalInterface
    public interface Script {
        void run(Conn conn, int index) throws IOException;
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public ScriptedUpstream(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    open.add(s);
                    int index = connections.getAndIncrement();
                    Thread t = new Thread(() -> {
                        try (s) {
                            script.run(new Conn(s), index);
                        } catch (IOException ignored) {
                            // the peer went away: part of the game
                        }
                    }, "scripted-upstream-" + index);
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "scripted-upstream-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** Request heads received, in order (first line and headers). */
    public List<String> requests() {
        return requests;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** One accepted connection. */
    public final class Conn {
        private final Socket socket;
        private final InputStream in;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            socket.setSoTimeout(20_000);
        }

        public Socket socket() {
            return socket;
        }

        /** Reads one request head and its Content-Length body; null at end of stream. */
        public String readRequest() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                last4 = (last4 << 8) | b;
                if (last4 == 0x0d0a0d0a) {
                    break;
                }
            }
            if (b == -1) {
                return null;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            requests.add(text);
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    in.readNBytes(Integer.parseInt(line.substring(15).trim()));
                }
            }
            return text;
        }

        public void write(String raw) throws IOException {
            socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        /** Answers 200 with the given body and Content-Length, keeping the connection open. */
        public void ok(String body) throws IOException {
            write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        }

        public void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }
}
