package dev.porter.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback server that never answers a connect: it listens but never accepts, and its
 * accept queue is full, so Linux drops every new SYN and a connect to it hangs until the
 * connector gives up. The loopback stand-in for an unreachable host, for connect-timeout tests.
 */
public final class FullBacklog implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> queued = new ArrayList<>();

    public FullBacklog() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        // Connections are queued up to the backlog (the kernel allows one more); the first
        // connect that times out proves the queue is full.
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(server.getLocalSocketAddress(), 200);
                queued.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return;
            }
        }
        close();
        throw new IllegalStateException("the accept queue never filled");
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : queued) {
            s.close();
        }
        server.close();
    }
}
