package dev.porter.testing;

import dev.porter.config.TransportChoice;
import dev.porter.transport.Transport;
import io.netty.channel.epoll.Epoll;

import java.util.ArrayList;
import java.util.List;

/** The transports tests run on: every one that loads here, so that {@code auto}'s pick is not the only one tested. */
public final class Transports {
    private Transports() {
    }

    /** NIO always; io_uring and epoll on Linux kernels that allow them. */
    public static List<TransportChoice> loadable() {
        List<TransportChoice> all = new ArrayList<>();
        if (Transport.ioUringLoads()) {
            all.add(TransportChoice.IO_URING);
        }
        if (Epoll.isAvailable()) {
            all.add(TransportChoice.EPOLL);
        }
        all.add(TransportChoice.NIO);
        return all;
    }
}
