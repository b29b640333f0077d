package dev.porter.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.net.StandardSocketOptions;

/**
 * The socket transport the workers run on. Linux's io_uring when the kernel allows it: a
 * worker's turn submits all its reads and writes and reaps their results in one system call,
 * where epoll makes one per read and per write, and on this project's machines that was the
 * largest part of a request's cost (docs/bench/2026-12-02-io-uring). Then epoll (one syscall per
 * operation, but still the errno of a failed connect and SO_REUSEPORT), then NIO elsewhere.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory,
                        Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    /**
     * Netty's io_uring transport waits for readiness with multishot poll requests by default. With
     * them, an upstream that resets its connection right after sending part of a response was
     * sometimes never noticed (5 of 40 tries, and 0 of 120 with single-shot polls:
     * docs/bench/2026-12-02-upstream-reset): the client then waited, with half a response, for
     * the read timeout. Set before Netty's {@code IoUring} reads it, unless the operator set it.
     */
    static final String POLL_ADD_MULTISHOT = "io.netty.iouring.pollAddMultishotEnabled";

    static {
        if (System.getProperty(POLL_ADD_MULTISHOT) == null) {
            System.setProperty(POLL_ADD_MULTISHOT, "false");
        }
    }

    /**
     * IP_BIND_ADDRESS_NO_PORT (linux/in.h: level IPPROTO_IP = 0, option 24), as a raw option:
     * Netty's io_uring transport has no named one, and the same raw option serves epoll too.
     */
    private static final IntegerUnixChannelOption IP_BIND_ADDRESS_NO_PORT =
            new IntegerUnixChannelOption("IP_BIND_ADDRESS_NO_PORT", 0, 24);

    /** Sets SO_REUSEPORT on a listener, so that a second process can bind the same address. */
    public void reusePort(ServerBootstrap bootstrap) {
        if (isNative()) {
            bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
        } else {
            bootstrap.option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true);
        }
    }

    /**
     * IP_BIND_ADDRESS_NO_PORT on connections bound to a source address: the port is then chosen
     * at connect, per destination, so each source address has the whole port range toward every
     * server (bind alone would reserve a port across all destinations). Native transports only.
     */
    public void bindAddressNoPort(Bootstrap bootstrap) {
        if (isNative()) {
            bootstrap.option(IP_BIND_ADDRESS_NO_PORT, 1);
        }
    }

    private boolean isNative() {
        return serverChannel != NioServerSocketChannel.class;
    }

    /** Whether io_uring loads here (Netty's answer, after this class's settings for it). */
    public static boolean ioUringLoads() {
        return IoUring.isAvailable();
    }

    /** The cheapest transport this machine has: io_uring, then epoll, then NIO. */
    public static Transport best() {
        return ioUringLoads() ? ioUring() : bestWithoutIoUring();
    }

    /** Epoll where it loads, else NIO: where io_uring loads but cannot be used. */
    public static Transport bestWithoutIoUring() {
        return Epoll.isAvailable() ? epoll() : nio();
    }

    /** @throws IllegalStateException if io_uring does not load here, with the reason */
    public static Transport ioUring() {
        if (!ioUringLoads()) {
            throw unavailable("io_uring", IoUring.unavailabilityCause());
        }
        return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, IoUringSocketChannel.class);
    }

    /** @throws IllegalStateException if epoll does not load here, with the reason */
    public static Transport epoll() {
        if (!Epoll.isAvailable()) {
            throw unavailable("epoll", Epoll.unavailabilityCause());
        }
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
    }

    private static IllegalStateException unavailable(String name, Throwable cause) {
        return new IllegalStateException("transport = " + name + " is not available on this machine (" + cause
                + "); transport = auto takes the best one that is", cause);
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }
}
