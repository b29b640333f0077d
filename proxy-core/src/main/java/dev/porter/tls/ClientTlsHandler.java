package dev.porter.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * First in a TLS listener's client pipeline ({@code tls → tls-handshake → ...}): looks at the
 * first bytes of the connection. A TLS record goes on to Netty's SNI handling, which picks
 * the certificate by the name in the ClientHello and replaces this handler with the
 * connection's {@link SslHandler}. Anything else is someone speaking plain HTTP to an HTTPS
 * port: it gets a plain-text 400 that says so (nginx's 497 "The plain HTTP request was sent to
 * HTTPS port", which nginx also answers as 400), then a FIN; what the client sends is dropped
 * until it closes or the handshake timeout closes the connection. Nothing of it goes further.
 *
 * <p>The response is followed by a FIN (output shutdown) and not a close, because closing a
 * socket with unread bytes sends an RST, which can destroy the response before it is read.
 *
 * <p>Confined to the channel's event loop.
 */
final class ClientTlsHandler extends SniHandler {
    private static final Logger logger = LoggerFactory.getLogger(ClientTlsHandler.class);
    /** A TLS record header: content type, version (2), length (2). */
    private static final int RECORD_HEADER = 5;
    private static final String BODY = "This port speaks HTTPS: the plain HTTP request was sent to an HTTPS port.\n";
    private static final byte[] PLAIN_HTTP_REFUSAL = ("HTTP/1.1 400 Bad Request\r\n"
            + "Server: porter\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: " + BODY.length() + "\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + BODY).getBytes(StandardCharsets.US_ASCII);

    private boolean checked;
    private boolean refused;

    ClientTlsHandler(Mapping<String, SslContext> sni) {
        super(sni);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!checked) {
            if (in.readableBytes() < RECORD_HEADER) {
                return;
            }
            if (!SslHandler.isEncrypted(in, false)) {
                refuse(ctx, in);
                return;
            }
            checked = true;
        }
        super.decode(ctx, in, out);
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in) {
        refused = true;
        logger.debug("{} plain HTTP on a TLS listener: 400", ctx.channel());
        in.skipBytes(in.readableBytes());
        ByteBuf response = ctx.alloc().buffer(PLAIN_HTTP_REFUSAL.length).writeBytes(PLAIN_HTTP_REFUSAL);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && f.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                f.channel().close();
            }
        });
    }

    /**
     * The handshake timeout is the handshake gate's (next in the pipeline), counted from accept; the
     * SslHandler's own (10 s by default, counted from the ClientHello) would be a second timer.
     */
    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }
}
