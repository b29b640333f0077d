package dev.porter.transport;

import dev.porter.Porter;
import dev.porter.config.TransportChoice;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
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

    @AfterEach
    void stop() {
        if (group != null) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.porter.testing.Transports#loadable")
    void acceptedAndConnectedSocketsHaveNoDelayWithoutBeingAsked(TransportChoice choice) throws Exception {
        Transport transport = Porter.transport(choice);
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
