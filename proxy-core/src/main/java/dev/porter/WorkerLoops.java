package dev.porter;

import dev.porter.config.TransportChoice;
import dev.porter.transport.Transport;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * The workers' event loops and the transport they run on. With {@code transport = auto}, io_uring
 * can pass Netty's check (a ring of one entry) and still fail when each worker makes its ring of
 * thousands: kernels before 5.12 charge rings to RLIMIT_MEMLOCK, 64 KiB by default. Then the
 * workers start on epoll (NIO off Linux) with a warning, rather than not at all; a named
 * transport that fails stops the start.
 */
record WorkerLoops(Transport transport, EventLoopGroup group) {
    private static final Logger logger = LoggerFactory.getLogger(WorkerLoops.class);

    static WorkerLoops start(TransportChoice choice, Transport transport, Function<Transport, EventLoopGroup> make) {
        try {
            return new WorkerLoops(transport, make.apply(transport));
        } catch (RuntimeException e) {
            if (choice != TransportChoice.AUTO || !"io_uring".equals(transport.name())) {
                throw e;
            }
            Transport fallback = Transport.bestWithoutIoUring();
            logger.warn("transport = auto: io_uring loads here but the workers' rings could not be made ({}); running on {}."
                    + " Raise the locked-memory limit (ulimit -l) or set transport = {} to skip io_uring", rootCause(e),
                    fallback.name(), fallback.name());
            return new WorkerLoops(fallback, make.apply(fallback));
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }
}
