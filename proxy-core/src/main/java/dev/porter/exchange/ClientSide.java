package dev.porter.exchange;

import dev.porter.client.ClientAddress;
import io.netty.channel.Channel;

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
}
