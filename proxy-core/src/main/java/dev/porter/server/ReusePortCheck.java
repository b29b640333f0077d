package dev.porter.server;

import dev.porter.config.ListenerConfig;
import dev.porter.config.ProxyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Tells the operator, once at start, when {@code reuse-port} cannot give a restart without
 * loss. When a listening socket of a SO_REUSEPORT group closes, the connections the kernel has
 * already queued on it (handshake done, not yet accepted) are reset, unless
 * {@code net.ipv4.tcp_migrate_req = 1} (Linux 5.14+) moves them to another socket of the group:
 * the new Porter's.
 */
public final class ReusePortCheck {
    private static final Logger logger = LoggerFactory.getLogger(ReusePortCheck.class);
    static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private ReusePortCheck() {
    }

    /** Reads a /proc file: call it at start, off the event loops. */
    public static void log(ProxyConfig config) {
        if (config.listeners().stream().noneMatch(ListenerConfig::reusePort)) {
            return;
        }
        Optional<String> value = read(MIGRATE_REQ);
        if (value.isPresent() && value.get().equals("0")) {
            logger.warn("reuse-port is on but net.ipv4.tcp_migrate_req = 0: when this process stops, connections"
                    + " queued on its listener and not yet accepted are reset instead of moving to the Porter that"
                    + " replaces it; set it to 1 (sysctl -w net.ipv4.tcp_migrate_req=1) for restarts without loss");
        }
    }

    static Optional<String> read(Path path) {
        try {
            return Optional.of(Files.readString(path).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
