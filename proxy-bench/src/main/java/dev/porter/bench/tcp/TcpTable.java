package dev.porter.bench.tcp;

import java.io.IOException;
import java.util.List;

/**
 * Where the sampler gets the kernel's socket table from: {@link ProcTcpTable} in real runs,
 * a fixed list in tests. Kept small so that proxy-core's {@code dev.porter.tcp} reader can
 * replace the bench's parser behind it.
 */
@FunctionalInterface
public interface TcpTable {
    /** Every TCP socket of the current network namespace, IPv4 and IPv6. */
    List<TcpEntry> read() throws IOException;
}
