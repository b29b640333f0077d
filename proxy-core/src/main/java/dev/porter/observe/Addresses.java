package dev.porter.observe;

import java.net.InetSocketAddress;

/**
 * Socket addresses as Porter shows them to operators, in /status, on /metrics and in log
 * lines: {@code host:port}, with an IPv6 host in brackets as a configuration file writes it.
 *
 * <p>Stateless; usable from any thread.
 */
public final class Addresses {
    private Addresses() {
    }

    /** The host as given (a name stays a name) and the port: what the operator wrote. */
    public static String hostPort(InetSocketAddress a) {
        return bracketed(a.getHostString(), a.getPort());
    }

    /** The numeric address, as the kernel's tables show it (a server may be configured by name). */
    public static String ipPort(InetSocketAddress a) {
        return bracketed(a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString(), a.getPort());
    }

    private static String bracketed(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
