package dev.porter.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One server of an upstream group.
 *
 * @param name        the address as the operator wrote it ("127.0.0.1:8080"), for logs and /status
 * @param address     resolved at load time
 * @param weight      share of requests relative to the group's other servers
 * @param maxFails    failures within {@code failTimeout} that take the server out; 0 = never
 * @param failTimeout the window for counting failures, and how long the server stays out
 * @param maxConns    open connections to the server from all workers together; 0 = no limit
 * @param sourceAddresses local addresses to connect from, in turn; empty = the group's (or the kernel's choice)
 */
public record ServerConfig(String name, InetSocketAddress address, int weight, int maxFails, Duration failTimeout,
                           int maxConns, List<InetAddress> sourceAddresses) {
    public ServerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(failTimeout, "failTimeout");
        sourceAddresses = List.copyOf(sourceAddresses);
    }

    static ServerConfig from(ConfigReader r) {
        return new ServerConfig(
                r.string("address").trim(),
                r.address("address"),
                r.integer("weight", 1, 1000),
                r.integer("max-fails", 0, 1_000_000),
                r.duration("fail-timeout"),
                r.integer("max-conns", 0, 1_000_000),
                r.ipAddresses("source-addresses"));
    }
}
