package dev.porter.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.StandardSocketOptions;

/**
 * The socket transport: Linux's native epoll when it loads (fewer copies and syscalls, and
 * the errno of a failed connect), NIO elsewhere.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    /** Sets SO_REUSEPORT on a listener, so that a second process can bind the same address. */
    public void reusePort(ServerBootstrap bootstrap) {
        if (serverChannel == EpollServerSocketChannel.class) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        } else {
            bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
    }

    /**
     * IP_BIND_ADDRESS_NO_PORT on connections bound to a source address: the port is then chosen
     * at connect, per destination, so each source address has the whole port range toward every
     * server (bind alone would reserve a port across all destinations). Epoll only.
     */
    public void bindAddressNoPort(Bootstrap bootstrap) {
        if (socketChannel == EpollSocketChannel.class) {
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }
}
