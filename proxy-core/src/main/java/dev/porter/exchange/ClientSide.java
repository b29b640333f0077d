package dev.porter.exchange;

import dev.porter.client.ClientAddress;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * What an {@link Exchange} needs of the client connection it serves, and nothing more: the
 * channel to write the response to (and to name in log lines), who the client is, whether the
 * response may keep the connection, a nudge to re-decide reading, and the two ways an exchange ends. Implemented
 * by the client connection's handler; called on its event loop.
 */
public interface ClientSide {
    /** The client connection: the response is written here, in the connection's pipeline. */
    Channel channel();

    /**
     * The client address of the request being served: for X-Forwarded-For, X-Real-IP and the
     * access log (never {@code channel().remoteAddress()}, which PROXY and real IP replace).
     */
    ClientAddress clientAddress();

    /** Whether the response may keep the connection open (Connection header, limits, shutdown). */
    boolean keepAliveAllowed();

    /** The exchange's appetite for the request body changed: read the client, or stop. */
    void updateReading();

    /** The response's last part was written: the connection may serve the next request. */
    void exchangeDone(Exchange exchange, boolean keepAlive, int status);

    /** The exchange failed after its response started: the client must see a cut connection, not a short response. */
    void exchangeAborted(Exchange exchange);

    /**
     * The exchange's WebSocket handshake was answered 101 (its head is written): the connection
     * leaves HTTP for good. {@code tunnelHandler} goes into the pipeline in front of the HTTP
     * handling, whose timeouts end; the request head now belongs to the exchange (it releases it
     * when the tunnel ends).
     *
     * @return the bytes the client sent after the handshake, not read as HTTP (the caller owns
     *         them), or null
     */
    ByteBuf exchangeUpgraded(Exchange exchange, ChannelHandler tunnelHandler);

    /** The tunnel the connection became has ended (both connections are closed). */
    void tunnelEnded();
}
