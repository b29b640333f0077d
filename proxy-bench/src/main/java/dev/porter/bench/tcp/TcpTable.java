package dev.porter.bench.tcp;

import dev.porter.tcp.TcpSocket;

import java.io.IOException;
import java.util.List;

/**
 * Where the sampler gets the kernel's socket table from: proxy-core's
 * {@code ProcNetTcp::read} in real runs, a fixed list in tests.
 */
@FunctionalInterface
public interface TcpTable {
    /** Every TCP socket of the current network namespace, IPv4 and IPv6. */
    List<TcpSocket> read() throws IOException;
}
