package dev.porter.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.channel.unix.UnixChannel;
import jdk.net.ExtendedSocketOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends, at once, the ACK that the kernel holds back for delayed ACK (~40 ms on Linux) when a
 * connection received data and has nothing to answer yet.
 *
 * <p>Why: a client that leaves Nagle's algorithm on (ab, the JDK's {@code Socket} and
 * {@code SSLSocket}) sends nothing more while what it sent is unacknowledged, and some TLS
 * handshake messages get no answer: a TLS 1.3 client's Finished (BoringSSL writes its session
 * tickets only with the first response; OpenSSL servers answer the Finished with them, which
 * carry the ACK), and the JDK's ChangeCipherSpec, which it writes on its own before its
 * Finished. Each such message cost the client one whole delayed-ACK timer per connection
 * (docs/bench/2026-12-02-io-uring/tls-handshake-pcap).
 *
 * <p>{@code TCP_QUICKACK} is not sticky: the kernel goes back to delaying ACKs by itself, so
 * one call acknowledges what has been received so far and changes nothing later. One system
 * call; on a native transport a raw option (IPPROTO_TCP = 6, TCP_QUICKACK = 12, linux/tcp.h),
 * which both epoll and io_uring sockets take; on NIO the JDK's own option, where it has one.
 */
public final class PendingAck {
    private static final Logger logger = LoggerFactory.getLogger(PendingAck.class);

    private static final IntegerUnixChannelOption TCP_QUICKACK = new IntegerUnixChannelOption("TCP_QUICKACK", 6, 12);
    private static final ChannelOption<Boolean> NIO_TCP_QUICKACK = NioChannelOption.of(ExtendedSocketOptions.TCP_QUICKACK);

    private PendingAck() {
    }

    /** Acknowledges now what {@code channel} has received; on the channel's event loop. */
    public static void sendNow(Channel channel) {
        try {
            if (channel instanceof UnixChannel) {
                channel.config().setOption(TCP_QUICKACK, 1);
            } else {
                channel.config().setOption(NIO_TCP_QUICKACK, true);
            }
        } catch (RuntimeException e) {
            // Only a faster ACK is lost: the kernel's timer still sends it.
            logger.debug("{} TCP_QUICKACK not set: {}", channel, e.toString());
        }
    }
}
