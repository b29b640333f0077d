package dev.porter.bench.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for processes that must be told their port before they start. */
final class Ports {
    private Ports() {
    }

    /** A port free right now on 127.0.0.1 (the kernel's choice; tiny race until the child binds it). */
    static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
