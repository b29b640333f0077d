package dev.porter;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import dev.porter.testing.KernelSockets;
import dev.porter.testing.PorterFixture;
import dev.porter.config.TransportChoice;
import dev.porter.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener lives on a worker that also serves its connections, so each time the worker comes
 * to it, it must take every queued connection (up to {@link Listeners#ACCEPTS_PER_PASS}), not one:
 * between two visits the worker passes over all its busy connections, and a burst of new
 * clients would wait in the kernel's accept queue for as many passes as there are clients.
 * Real loopback sockets on every transport this machine loads; the worker is held busy by a task while
 * the kernel queues the connections, and the listener's reads are counted per pass (Netty ends
 * each pass over a ready listener with channelReadComplete).
 */
class ListenersAcceptTest {
    private Transport transport;
    private EventLoopGroup group;
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    private void on(TransportChoice choice) {
        transport = Porter.transport(choice);
        group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
    }

    @ParameterizedTest
    @MethodSource("dev.porter.testing.Transports#loadable")
    void aWorkerTakesAllQueuedConnectionsInOnePass(TransportChoice choice) throws Exception {
        on(choice);
        assertThat(acceptedPerPass(40)).startsWith(40);
    }

    @ParameterizedTest
    @MethodSource("dev.porter.testing.Transports#loadable")
    void aFloodIsTakenInBoundedPassesSoTheWorkerStillServesItsConnections(TransportChoice choice) throws Exception {
        on(choice);
        int queued = Listeners.ACCEPTS_PER_PASS * 2 + 10;
        List<Integer> passes = acceptedPerPass(queued);
        assertThat(passes).startsWith(Listeners.ACCEPTS_PER_PASS, Listeners.ACCEPTS_PER_PASS);
    }

    /** Queues {@code n} connections while the listener's worker is busy, then counts what each pass accepts. */
    private List<Integer> acceptedPerPass(int n) throws Exception {
        ProxyConfig config = ConfigLoader.parse(
                PorterFixture.config(1, new String[] {"127.0.0.1:8080"}, "", "", ""), "porter.conf");
        PassCounter passes = new PassCounter();
        Channel listener = Listeners.bootstrap(config.listeners().get(0), config, group, transport)
                .handler(passes)
                .childHandler(new CloseAtOnce())
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(1);
            listener.eventLoop().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await();
            // The kernel completes each handshake and queues it for accept while the worker is held;
            // the worker goes on only once every one is in the queue.
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            for (int i = 0; i < n; i++) {
                clients.add(new Socket("127.0.0.1", port));
            }
            await().until(() -> KernelSockets.acceptQueue(port) == n);
            release.countDown();
            await().until(() -> passes.accepted() == n);
            return passes.perPass();
        } finally {
            listener.close().sync();
        }
    }

    @ChannelHandler.Sharable
    private static final class CloseAtOnce extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    /** On the listener's own pipeline: the connections it accepted, per pass. */
    private static final class PassCounter extends ChannelInboundHandlerAdapter {
        private final List<Integer> perPass = new CopyOnWriteArrayList<>();
        private int inThisPass;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object child) {
            inThisPass++;
            ctx.fireChannelRead(child);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (inThisPass > 0) {
                perPass.add(inThisPass);
            }
            inThisPass = 0;
            ctx.fireChannelReadComplete();
        }

        /** The connections accepted in passes that have ended. */
        int accepted() {
            return perPass.stream().mapToInt(Integer::intValue).sum();
        }

        List<Integer> perPass() {
            return List.copyOf(perPass);
        }
    }
}
