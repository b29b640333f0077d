package dev.porter.upstream;

import dev.porter.metrics.Errno;
import dev.porter.tls.TlsFailures;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Opens the connections of one {@link KeepalivePool}: from the server's source addresses in turn
 * when it has several (each has a port range of its own toward the server; a connect that finds
 * its address out of ports, EADDRNOTAVAIL, moves on to the next one), and, on a group that
 * speaks TLS, handed over only once the handshake is done, so that a failed handshake is a failed
 * connect (next-upstream, 502) and never a request lost on a connection that was not usable. It
 * names a failure as {@code /status} counts it ({@link Errno}, {@link TlsFailures}) and reports
 * the outcome to its pool, which keeps the books (open connections, slots, waiters).
 *
 * <p>One per pool, made with it. Confined to the pool's event loop, on which its bootstrap
 * registers the channels it connects.
 */
final class UpstreamConnector {
    private final KeepalivePool pool;
    private final Bootstrap bootstrap;
    private final SocketAddress address;
    private final List<InetAddress> sources;
    /** Turns through the source addresses, when there are several. */
    private int nextSource;

    UpstreamConnector(KeepalivePool pool, Bootstrap bootstrap, UpstreamServer server) {
        this.pool = pool;
        this.bootstrap = bootstrap;
        this.address = server.config().address();
        this.sources = server.sourceAddresses();
    }

    /** Opens a connection for {@code promise}: {@link KeepalivePool#connected} or {@link KeepalivePool#connectFailed} follows. */
    void connect(Promise<UpstreamHandler> promise) {
        if (sources.isEmpty()) {
            connect(promise, -1, 0);
            return;
        }
        int first = nextSource;
        nextSource = (nextSource + 1) % sources.size();
        connect(promise, first, sources.size());
    }

    /**
     * @param source      index of the source address to connect from, -1 for the kernel's choice
     * @param sourcesLeft the source addresses this connection may still try, this one included
     */
    private void connect(Promise<UpstreamHandler> promise, int source, int sourcesLeft) {
        ChannelFuture f = source < 0 ? bootstrap.connect(address)
                : bootstrap.connect(address, new InetSocketAddress(sources.get(source), 0));
        f.addListener(done -> {
            if (!done.isSuccess()) {
                String errno = Errno.classify(done.cause());
                if (sourcesLeft > 1 && Errno.EADDRNOTAVAIL.equals(errno)) {
                    // This source address has no port left toward the server, and each one has a
                    // port range of its own: the next may have room. The next after this one, not
                    // the turn's: other connects took turns while this one was under way. A
                    // failure of this host, not of the server, so it is counted but fails nothing.
                    pool.sourceAddressFull(sources.get(source), done.cause());
                    connect(promise, (source + 1) % sources.size(), sourcesLeft - 1);
                    return;
                }
                pool.connectFailed(promise, errno, done.cause());
                return;
            }
            Channel ch = f.channel();
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls == null) {
                pool.connected(promise, ch);
                return;
            }
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    pool.connected(promise, ch);
                } else {
                    ch.close();
                    pool.connectFailed(promise, TlsFailures.classify(handshake.cause()), handshake.cause());
                }
            });
        });
    }
}
