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

    /**
     * A server at {@code address} with every other setting as reference.conf has it, named
     * {@code host:port} as a configuration file would write the address.
     */
    public static Builder builder(InetSocketAddress address) {
        return ConfigDefaults.SERVER.toBuilder().address(address).name(hostPort(address));
    }

    /** A builder that starts from this server's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * Builds a server in code (tests, the bench) instead of HOCON. The values are not
     * range-checked here: that is {@link ConfigLoader}'s job for the operator's file.
     */
    public static final class Builder {
        private String name;
        private InetSocketAddress address;
        private int weight;
        private int maxFails;
        private Duration failTimeout;
        private int maxConns;
        private List<InetAddress> sourceAddresses;

        private Builder(ServerConfig from) {
            name = from.name;
            address = from.address;
            weight = from.weight;
            maxFails = from.maxFails;
            failTimeout = from.failTimeout;
            maxConns = from.maxConns;
            sourceAddresses = from.sourceAddresses;
        }

        /** The name in logs and /status; {@link #builder} sets it from the address. */
        public Builder name(String v) {
            name = v;
            return this;
        }

        /** Only the address: the name stays as it was. */
        public Builder address(InetSocketAddress v) {
            address = v;
            return this;
        }

        public Builder weight(int v) {
            weight = v;
            return this;
        }

        public Builder maxFails(int v) {
            maxFails = v;
            return this;
        }

        public Builder failTimeout(Duration v) {
            failTimeout = v;
            return this;
        }

        public Builder maxConns(int v) {
            maxConns = v;
            return this;
        }

        public Builder sourceAddresses(List<InetAddress> v) {
            sourceAddresses = v;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(name, address, weight, maxFails, failTimeout, maxConns, sourceAddresses);
        }
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
