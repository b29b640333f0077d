package dev.porter.upstream;

import dev.porter.Porter;
import dev.porter.config.ConfigLoader;
import dev.porter.metrics.PoolSnapshot;
import dev.porter.testing.NetnsChild;
import dev.porter.testing.RawHttp;
import dev.porter.testing.StaticOrigin;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One source address out of ports, run by {@link SourceAddressFallbackIT} inside a network
 * namespace of its own with sixteen ephemeral ports: connections from 127.0.0.2 to the origin take
 * all sixteen (as other processes on the host can), then Porter, whose group connects from 127.0.0.2
 * and 127.0.0.3 in turn, serves requests. Its first connect goes out from 127.0.0.2 and fails
 * with EADDRNOTAVAIL. Prints one {@code RESULT key=value ...} line.
 *
 * <p>The occupying connections connect with IP_BIND_ADDRESS_NO_PORT, as Porter does, so that a
 * port they use toward the origin stays usable from another source address: the ports are used
 * up for 127.0.0.2 only.
 */
public final class SourceAddressFallbackScenario {
    private static final int ORIGIN_PORT = 18080;
    private static final int LISTEN_PORT = 18000;

    private SourceAddressFallbackScenario() {
    }

    public static void main(String[] args) {
        NetnsChild.runAndExit(a -> run(a[0]), args);
    }

    private static void run(String parentNamespace) throws Exception {
        NetnsChild.prepareInside(parentNamespace);
        NetnsChild.sysctl("net/ipv4/ip_local_port_range", "40000 40015");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        InetSocketAddress originAddress = new InetSocketAddress("127.0.0.1", ORIGIN_PORT);
        try (StaticOrigin origin = new StaticOrigin(originAddress)) {
            List<Channel> held = takeEveryPort(group, originAddress);
            String conf = """
                    porter {
                      workers = 1
                      listeners = [ { address = "127.0.0.1:%d" } ]
                      upstreams { app {
                        servers = [ { address = "127.0.0.1:%d" } ]
                        source-addresses = [ "127.0.0.2", "127.0.0.3" ]
                      } }
                      routes = [ { path-prefix = "/", upstream = app } ]
                      admin.enabled = false
                    }
                    """.formatted(LISTEN_PORT, ORIGIN_PORT);
            List<Integer> statuses = new ArrayList<>();
            try (Porter porter = Porter.start(ConfigLoader.parse(conf, "scenario.conf"))) {
                // Each on a connection of its own, at the same time: the pool opens three
                // upstream connections, and every other connect starts from 127.0.0.2.
                List<RawHttp> clients = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    clients.add(new RawHttp(new InetSocketAddress("127.0.0.1", LISTEN_PORT))
                            .send("GET /" + i + " HTTP/1.1\r\nHost: app\r\n\r\n"));
                }
                for (RawHttp c : clients) {
                    statuses.add(c.read().status);
                    c.close();
                }
                long eaddrnotavail = 0;
                long opened = 0;
                for (PoolSnapshot p : porter.status().get(10, TimeUnit.SECONDS).pools()) {
                    eaddrnotavail += p.connectErrors().getOrDefault("EADDRNOTAVAIL", 0L);
                    opened += p.opened();
                }
                System.out.println("RESULT held=" + held.size() + " statuses=" + statuses.toString().replace(" ", "")
                        + " eaddrnotavail=" + eaddrnotavail + " opened=" + opened);
            }
            for (Channel ch : held) {
                ch.close().awaitUninterruptibly();
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** Connects from 127.0.0.2 until the kernel has no port left for it toward the origin. */
    private static List<Channel> takeEveryPort(EventLoopGroup group, InetSocketAddress origin) {
        Bootstrap b = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // held open, nothing read or written
                    }
                });
        List<Channel> held = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ChannelFuture f = b.connect(origin, new InetSocketAddress("127.0.0.2", 0)).awaitUninterruptibly();
            if (!f.isSuccess()) {
                if (!String.valueOf(f.cause().getMessage()).contains("Cannot assign requested address")) {
                    throw new AssertionError("expected EADDRNOTAVAIL, got " + f.cause());
                }
                return held;
            }
            held.add(f.channel());
        }
        throw new AssertionError("127.0.0.2 never ran out of ports");
    }
}
