package dev.porter.upstream;

import dev.porter.config.ConfigLoader;
import dev.porter.config.UpstreamConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link UpstreamConnector} on real loopback sockets: a pool's connections leave from its
 * server's source addresses in turn, and a connection is handed to the pool attached to it.
 */
class UpstreamConnectorTest {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private int listen() throws InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        peers.add((InetSocketAddress) ch.remoteAddress());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    private KeepalivePool pool(int port, String sources) {
        UpstreamConfig u = ConfigLoader.parse("porter { listeners = [ { address = \"127.0.0.1:0\" } ]\n"
                + "upstreams { app { servers = [ { address = \"127.0.0.1:" + port + "\" } ]\n"
                + "source-addresses = " + sources + " } }\n"
                + "routes = [ { upstream = app } ] }", "test.conf").upstreams().get("app");
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .handler(new UpstreamChannelInitializer(null, null));
        return new KeepalivePool(loop, 0, u, UpstreamServer.of(u, u.servers().get(0), 28232), bootstrap);
    }

    private UpstreamHandler acquire(KeepalivePool pool) throws Exception {
        return loop.submit(() -> pool.acquire(true)).get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
    }

    @Test
    void connectionsLeaveFromTheSourceAddressesInTurn() throws Exception {
        KeepalivePool pool = pool(listen(), "[ \"127.0.0.2\", \"127.0.0.3\" ]");
        List<String> from = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UpstreamHandler h = acquire(pool);
            from.add(((InetSocketAddress) h.channel().localAddress()).getAddress().getHostAddress());
        }
        assertThat(from).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.2");
        await().atMost(Duration.ofSeconds(5)).until(() -> peers.size() == 3);
        assertThat(peers).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.2");
        assertThat(loop.submit(pool::active).get(5, TimeUnit.SECONDS)).isEqualTo(3);
        loop.submit(pool::close).get(5, TimeUnit.SECONDS);
    }

    @Test
    void withoutSourceAddressesTheKernelChoosesAndTheConnectionComesAttachedToItsPool() throws Exception {
        KeepalivePool pool = pool(listen(), "[]");
        UpstreamHandler h = acquire(pool);
        assertThat(((InetSocketAddress) h.channel().localAddress()).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(h.channel().isActive()).isTrue();
        assertThat(loop.submit(pool::active).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        loop.submit(() -> h.unbind(null)).get(5, TimeUnit.SECONDS);
        assertThat(loop.submit(() -> pool.snapshot("app").idle()).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        loop.submit(pool::close).get(5, TimeUnit.SECONDS);
    }
}
