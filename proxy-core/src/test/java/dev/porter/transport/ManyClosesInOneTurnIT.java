package dev.porter.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.porter.Porter;
import dev.porter.config.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker that ends thousands of connections in one turn (a pool's idle connections timing
 * out together after a burst) does it without the transport's alarm. On io_uring each close of
 * a connection with a read pending completes three times in that turn; past Netty's default
 * completion queue of 4,096 entries (~1,400 connections) the kernel parks the rest on an
 * overflow list and Netty logs "CompletionQueue overflow detected, consider increasing size",
 * which names no Porter setting. Real loopback sockets, on every transport that loads here.
 */
class ManyClosesInOneTurnIT {
    /** ~1.5 times what Netty's default queue holds (~1,400), ~0.75 of Porter's; 4,000 descriptors here. */
    private static final int CONNECTIONS = 2_000;

    private final Logger nettyLogger = (Logger) LoggerFactory.getLogger("io.netty");
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Socket> clients = new ArrayList<>();
    private EventLoopGroup group;

    @AfterEach
    void stop() throws IOException {
        nettyLogger.detachAppender(log);
        for (Socket s : clients) {
            s.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.porter.testing.Transports#loadable")
    void aWorkerEndsThousandsOfConnectionsInOneTurnWithoutAnOverflow(TransportChoice choice) throws Exception {
        log.start();
        nettyLogger.addAppender(log);
        Transport transport = Porter.transport(choice);
        group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        Ends ends = new Ends();
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(ends)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket s = new Socket();
                clients.add(s);
                s.connect(listener.localAddress(), 10_000);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ends.open.size() == CONNECTIONS);

            EventLoop worker = group.next();
            worker.execute(() -> ends.open.forEach(Channel::close));
            await().atMost(Duration.ofSeconds(30)).until(() -> ends.closed.get() == CONNECTIONS);
            // Netty reads the overflow flag as it reaps completions: a few more turns of the
            // worker, so that a warning still to come is logged before the log is read.
            for (int turn = 0; turn < 3; turn++) {
                worker.submit(() -> null).get(10, TimeUnit.SECONDS);
            }

            assertThat(clients).as("every client sees its connection end").allSatisfy(s -> {
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            });
            assertThat(log.list).as("Netty's warnings").noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
        } finally {
            listener.close().sync();
        }
    }

    /** The server's ends of the connections, and how many have closed. */
    @ChannelHandler.Sharable
    private static final class Ends extends ChannelInboundHandlerAdapter {
        final List<Channel> open = new CopyOnWriteArrayList<>();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open.add(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.incrementAndGet();
        }
    }
}
