package dev.porter.bench.proxy;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the HOCON a scenario runs Porter with: one listener, one upstream group {@code app}
 * with one server, one route, and the admin listener when asked for. The group carries the
 * settings' pool keys, or none at all when it has none (so that the shipped defaults apply),
 * and its source addresses when it has some; the listener speaks TLS when the settings carry a
 * certificate. Durations carry units (Porter refuses bare numbers).
 */
public final class PorterConfigWriter {
    private PorterConfigWriter() {
    }

    /** One file quoted, or several as a list in the certificates' order. */
    private static String files(BenchCertificate c, Function<BenchCertificate.KeyFiles, Path> which) {
        List<String> quoted = c.files().stream().map(which).map(PorterConfigWriter::quoted).toList();
        return quoted.size() == 1 ? quoted.get(0) : "[ " + String.join(", ", quoted) + " ]";
    }

    public static String write(PorterSettings s) {
        StringBuilder b = new StringBuilder();
        b.append("# written by porter-bench\n");
        b.append("porter {\n");
        b.append("  workers = ").append(s.workers()).append('\n');
        b.append("  listeners = [ { address = \"").append(hostPort(s.listen())).append('"');
        if (s.tls() != null) {
            // protocols, ciphers and session-timeout stay reference.conf's: the peers are given the same
            b.append(", tls { certificate = ").append(files(s.tls(), BenchCertificate.KeyFiles::certificate))
                    .append(", key = ").append(files(s.tls(), BenchCertificate.KeyFiles::key)).append(" }");
        }
        b.append(" } ]\n");
        b.append("  upstreams {\n");
        b.append("    app {\n");
        b.append("      servers = [ { address = \"").append(hostPort(s.upstream())).append("\" } ]\n");
        PoolKeys pool = s.pool();
        if (pool != null) {
            b.append("      keepalive = ").append(pool.keepalive()).append('\n');
            b.append("      keepalive-requests = ").append(pool.keepaliveRequests()).append('\n');
            b.append("      keepalive-timeout = 15s\n");
            b.append("      http-version = \"").append(pool.httpVersion()).append("\"\n");
            b.append("      close-initiator = ").append(pool.closeInitiator()).append('\n');
            if (pool.portBudgetGuard() != null) {
                b.append("      port-budget-guard = ").append(pool.portBudgetGuard()).append('\n');
            }
        }
        if (!s.sourceAddresses().isEmpty()) {
            b.append("      source-addresses = [ ");
            b.append(String.join(", ", s.sourceAddresses().stream().map(a -> "\"" + a + "\"").toList()));
            b.append(" ]\n");
        }
        b.append("    }\n");
        b.append("  }\n");
        b.append("  routes = [ { path-prefix = \"/\", upstream = app } ]\n");
        if (s.admin() != null) {
            b.append("  admin { enabled = true, address = \"").append(hostPort(s.admin())).append("\" }\n");
        } else {
            b.append("  admin { enabled = false }\n");
        }
        b.append("}\n");
        return b.toString();
    }

    /** An absolute path as a HOCON string (a relative one would resolve against the config file's dir). */
    private static String quoted(Path p) {
        return "\"" + p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** {@code host:port}, IPv6 in brackets, always the literal address (never a name to resolve). */
    public static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        if (a.getAddress() instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }
}
