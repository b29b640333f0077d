package dev.porter;

import dev.porter.config.TransportChoice;
import dev.porter.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where io_uring loads but its rings cannot be made, auto runs on the next transport; a named one does not. */
class WorkerLoopsTest {
    /** Stands for io_uring: what matters here is its name, not its rings. */
    private static final Transport IO_URING = new Transport("io_uring", NioIoHandler.newFactory(),
            NioServerSocketChannel.class, NioSocketChannel.class);

    private final List<String> attempts = new ArrayList<>();

    /** Makes real event loops, except on io_uring, whose rings fail as they do over RLIMIT_MEMLOCK. */
    private final Function<Transport, EventLoopGroup> ringsFail = t -> {
        attempts.add(t.name());
        if (t.name().equals("io_uring")) {
            throw new IllegalStateException("failed to create a child event loop",
                    new RuntimeException("failed to allocate memory for io_uring ring; try raising memlock limit"));
        }
        return new MultiThreadIoEventLoopGroup(1, t.ioHandlerFactory());
    };

    @Test
    void autoRunsOnTheNextTransportWhenIoUringRingsCannotBeMade() throws Exception {
        WorkerLoops loops = WorkerLoops.start(TransportChoice.AUTO, IO_URING, ringsFail);
        try {
            assertThat(attempts).containsExactly("io_uring", Transport.bestWithoutIoUring().name());
            assertThat(loops.transport().name()).isEqualTo(Transport.bestWithoutIoUring().name());
            assertThat(loops.group().submit(() -> "ran").get(10, TimeUnit.SECONDS)).isEqualTo("ran");
        } finally {
            loops.group().shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aNamedIoUringThatCannotMakeItsRingsStopsTheStart() {
        assertThatThrownBy(() -> WorkerLoops.start(TransportChoice.IO_URING, IO_URING, ringsFail))
                .hasMessageContaining("failed to create a child event loop");
        assertThat(attempts).containsExactly("io_uring");
    }

    @Test
    void autoDoesNotHideAFailureOfAnotherTransport() {
        Transport epoll = new Transport("epoll", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
        Function<Transport, EventLoopGroup> fails = t -> {
            throw new IllegalStateException("no loops on " + t.name());
        };
        assertThatThrownBy(() -> WorkerLoops.start(TransportChoice.AUTO, epoll, fails)).hasMessage("no loops on epoll");
    }
}
