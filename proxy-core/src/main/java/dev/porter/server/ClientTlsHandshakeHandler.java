package dev.porter.server;

import dev.porter.tls.ListenerTls;
import dev.porter.transport.PendingAck;
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
 * <p>What the client sends during the handshake is acknowledged at once ({@link PendingAck}),
 * not after the kernel's delayed-ACK timer: a client with Nagle's algorithm on holds its next
 * message until the last is acknowledged. Two such waits were measured, ~40 ms each: an OpenSSL
 * client's request after its Finished (ab), and the JDK's Finished after its separate
 * ChangeCipherSpec ({@code SSLSocket}, also on resumption).
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
    void readCompleteBeforeOpen(ChannelHandlerContext ctx) {
        // A handshake message that needs no answer (the JDK's ChangeCipherSpec) is acknowledged
        // now; where the TLS handler answered, the answer has carried the ACK or soon will.
        PendingAck.sendNow(ctx.channel());
    }

    @Override
    void eventBeforeOpen(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                // The client's Finished gets no answer until its request has come, and the gate
                // leaves now: its last read is acknowledged here.
                PendingAck.sendNow(ctx.channel());
                open(ctx);
            } else {
                refuse(ctx, e.cause());
            }
        }
    }
}
