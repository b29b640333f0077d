package dev.porter.bench.proxy;

import java.net.InetSocketAddress;
import java.util.OptionalLong;

/** A proxy a scenario sends load through: Porter (process or in-process) or nginx. */
public interface RunningProxy extends AutoCloseable {
    /** Where clients connect. */
    InetSocketAddress address();

    /** The process whose CPU time is charged to the proxy; empty when it runs in the bench's JVM. */
    OptionalLong pid();

    /** Porter's admin listener, or null when there is none. */
    default InetSocketAddress admin() {
        return null;
    }

    /** Porter's socket transport (io_uring, epoll, nio) as it said at start; empty for a peer or when unknown. */
    default String transport() {
        return "";
    }

    /** Stops the proxy; never throws. */
    @Override
    void close();
}
