package dev.porter.server;

import dev.porter.tls.ListenerTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Right after the TLS handler ({@code tls → tls-handshake → limits → ...}, put there by
 * {@link ListenerTls}): a {@link ClientGateHandler} that holds the rest of the client pipeline
 * back until the TLS handshake has completed, and closes a connection whose handshake has not
 * completed within the listener's {@code handshake-timeout}, counted from accept (a client that
 * connects and sends nothing, or never finishes).
 *
 * <p>The rest of the pipeline sees {@code channelActive} only once the handshake succeeded,
 * so connection limits, timeouts and the proxy start with a connection that can carry HTTP;
 * they never see a connection that failed its handshake (neither active nor inactive), as
 * with a connection {@link ClientLimitHandler} refuses. Nothing is decrypted before the
 * handshake completes, so whatever reaches this handler before then is dropped.
 *
 * <p>Confined to the channel's event loop.
 */
final class ClientTlsHandshakeHandler extends ClientGateHandler {

    ClientTlsHandshakeHandler(long timeoutNanos) {
        super(timeoutNanos);
    }

    @Override
    String awaited() {
        return "TLS handshake";
    }

    @Override
    void eventBeforeOpen(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                open(ctx);
            } else {
                refuse(ctx, e.cause());
            }
        }
    }
}
