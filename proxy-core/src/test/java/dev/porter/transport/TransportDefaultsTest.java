package dev.porter.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Porter relies on the transport to do without being told: TCP_NODELAY on every accepted
 * and every connected socket. Porter does not set it itself, because the channel's config sets
 * it when the channel is made and a second setsockopt per connection is pure cost (measured:
 * one syscall of ~13 per new client connection). Read back from the kernel with getsockopt on
 * real loopback sockets, so a transport or Netty version that stops doing it fails here.
 */
class TransportDefaultsTest {
    private EventLoopGroup group;

    /** Every transport that loads here: io_uring and epoll on Linux, NIO everywhere. */
    static List<Transport> loadable() {
        List<Transport> all = new ArrayList<>();
        if (IoUring.isAvailable()) {
            all.add(Transport.ioUring());
        }
        if (Epoll.isAvailable()) {
            all.add(Transport.epoll());
        }
        all.add(Transport.nio());
        return all;
    }

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @MethodSource("loadable")
    void acceptedAndConnectedSocketsHaveNoDelayWithoutBeingAsked(Transport transport) throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel listener = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(transport.socketChannel())
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(listener.localAddress()).sync().channel();
            // Both ends stay open while the kernel is asked: a closed socket has no options.
            Channel server = accepted.get(10, TimeUnit.SECONDS);
            try {
                assertThat(client.config().getOption(ChannelOption.TCP_NODELAY)).as("connected (upstream) socket").isTrue();
                assertThat(server.eventLoop().submit(() -> server.config().getOption(ChannelOption.TCP_NODELAY))
                        .get(10, TimeUnit.SECONDS)).as("accepted (client) socket").isTrue();
            } finally {
                client.close().sync();
                server.close().sync();
            }
        } finally {
            listener.close().sync();
        }
    }
}
