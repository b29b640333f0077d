package dev.porter.server;

import dev.porter.client.ClientAddress;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * On a listener with {@code proxy-protocol = true}, right after Netty's
 * {@link HAProxyMessageDecoder}, first in the pipeline because a balancer sends the PROXY
 * header before anything else, TLS included:
 * {@code proxy-protocol-decoder → proxy-protocol → [tls → tls-handshake →] limits → ...}.
 * A {@link ClientGateHandler}: it holds the rest of the pipeline back until the connection's PROXY
 * header (v1 or v2) has been decoded, makes the address the header names the connection's
 * ({@link ClientPeer}), and only then lets the rest see the connection become active, so that
 * the connection limits admit it by that address; then it leaves the pipeline. The decoder
 * removes itself once the header is read and hands on the bytes that followed it (the request,
 * or the TLS ClientHello).
 *
 * <p>A connection without a valid header is closed and nothing it sent goes further: the decoder
 * closes on a header it cannot read (a plain HTTP request included), and this handler closes a
 * connection whose header is not complete within {@code proxy-protocol-timeout} of being
 * accepted, or that half-closes first. The rest of the pipeline never sees such a connection,
 * neither active nor inactive, as with a failed TLS handshake.
 *
 * <p>The header's source address is used for a proxied TCP or UDP connection over IPv4 or IPv6.
 * For a {@code LOCAL} header (the balancer's own health check), an {@code UNKNOWN} protocol or a
 * UNIX-socket source the connection keeps its socket's address, as the PROXY protocol
 * specification asks of a receiver (sections 2.1 and 2.2).
 *
 * <p>Confined to the channel's event loop.
 */
final class ClientProxyProtocolHandler extends ClientGateHandler {
    private static final Logger logger = LoggerFactory.getLogger(ClientProxyProtocolHandler.class);

    private final ClientPeer peer;

    ClientProxyProtocolHandler(ClientPeer peer, long timeoutNanos) {
        super(timeoutNanos);
        this.peer = peer;
    }

    @Override
    String awaited() {
        return "PROXY protocol header";
    }

    /** The header opens the gate; what followed a header the decoder refused (it closes the connection) never goes further. */
    @Override
    void readBeforeOpen(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage header) {
            try {
                accept(ctx, header);
            } finally {
                header.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void accept(ChannelHandlerContext ctx, HAProxyMessage header) {
        ClientAddress source = sourceOf(header);
        if (source != null) {
            peer.proxied(source);
        }
        logger.debug("{} PROXY {} {} {}: client {}", ctx.channel(), header.protocolVersion(), header.command(),
                header.proxiedProtocol(), peer.address());
        open(ctx);
    }

    /** The proxied connection's source, or null when the connection keeps its socket's address. */
    private static ClientAddress sourceOf(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6) {
            return null;
        }
        // The decoder checked that the source is an address literal: no lookup here.
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
        try {
            return bytes == null ? null : ClientAddress.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
