package dev.porter.exchange;

import dev.porter.client.ClientAddress;
import dev.porter.close.CloseReason;
import dev.porter.config.UpstreamConfig;
import dev.porter.config.UpstreamHttpVersion;
import dev.porter.http.MessageHead;
import dev.porter.tunnel.Tunnel;
import dev.porter.upstream.UpstreamHandler;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moment an exchange stops being HTTP: the upstream answered the WebSocket handshake the
 * client asked for with 101, the 101 went to the client, and the client and upstream
 * connections become one {@link Tunnel} under the group's {@code tunnel-timeout}. The
 * exchange's access log line is written when the tunnel ends, and the request head is kept for
 * it until then.
 *
 * <p>Runs on the client connection's event loop, which is also the upstream connection's.
 */
final class WebSocketSwitch {
    private static final Logger logger = LoggerFactory.getLogger(WebSocketSwitch.class);

    private WebSocketSwitch() {
    }

    /** Whether the request went upstream as a WebSocket handshake (an HTTP/1.0 upstream never gets one). */
    static boolean forwarded(MessageHead request, UpstreamConfig config) {
        return request.websocketUpgrade() && config.httpVersion() == UpstreamHttpVersion.HTTP_1_1;
    }

    /**
     * Why a 101 from the upstream cannot switch the exchange: the request did not go upstream as a
     * WebSocket handshake (a 101 answers no request that did not ask for an Upgrade), or the
     * response switches to something else. Null when it can.
     */
    static String refusal(MessageHead request, MessageHead response, UpstreamConfig config) {
        if (!forwarded(request, config)) {
            return "101 Switching Protocols without an Upgrade request";
        }
        return response.websocketUpgrade() ? null : "101 Switching Protocols to something other than websocket";
    }

    /**
     * Joins the two connections.
     *
     * @param upstream the attempt's connection, already out of the attempt ({@link UpstreamAttempt#tunnelled})
     */
    static void start(Exchange exchange, ClientSide client, MessageHead request, UpstreamAttempt a,
                      UpstreamHandler upstream, UpstreamConfig config) {
        long toSwitchNanos = System.nanoTime() - a.sentAtNanos();
        ClientAddress who = client.clientAddress();
        String server = a.pool().server().name();
        Tunnel tunnel = new Tunnel(config.tunnelTimeout().toNanos(), new Tunnel.Listener() {
            @Override
            public void closingUpstream(Tunnel.End why) {
                upstream.tunnelClosing(why == Tunnel.End.TIMEOUT ? CloseReason.TUNNEL_TIMEOUT
                        : why == Tunnel.End.ERROR ? CloseReason.ERROR : CloseReason.TUNNEL_CLOSED);
            }

            @Override
            public void tunnelEnded(Tunnel t) {
                logger.debug("{} tunnel to {} ended: {}", client.channel(), server, t.end());
                AccessLog.logTunnel(who, request, t.bytesToClient(), server, a.connectNanos(), toSwitchNanos, a.reused(),
                        t.durationNanos(), t.bytesToUpstream());
                request.release();
                client.tunnelEnded();
            }
        });
        ByteBuf fromUpstream = upstream.becomeTunnel(tunnel.upstreamHandler());
        ByteBuf fromClient = client.exchangeUpgraded(exchange, tunnel.clientHandler());
        logger.debug("{} {} {}: WebSocket tunnel to {}", client.channel(), request.method(), request.target(), server);
        tunnel.start(fromUpstream, fromClient);
    }
}
