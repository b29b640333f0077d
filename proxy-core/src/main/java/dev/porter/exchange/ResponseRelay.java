package dev.porter.exchange;

import dev.porter.http.Chunks;
import dev.porter.http.ClientResponseHead;
import dev.porter.http.ClientResponseHead.BodyForm;
import dev.porter.http.ErrorResponses;
import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The response's way to the client: interim (1xx) heads for clients that understand them, the
 * final head written for this client ({@link ClientResponseHead}), the body as the bytes that
 * came (chunked by Porter, or unchunked, only where this client needs another framing), or
 * Porter's own error response when no upstream answered. It tracks how far the response got,
 * which is what decides whether a failure can still be retried (nothing sent yet) or must cut
 * the client connection (a head already went out).
 *
 * <p>Its writes carry the channel's void promise: nothing waits on them, and a failed write
 * reaches the client connection's handler as an exception, which closes the connection.
 *
 * <p>Confined to the client connection's event loop.
 */
final class ResponseRelay {
    private final ClientSide client;
    private final MessageHead request;
    /** An upstream answered (a head or an interim head came): the request cannot be replayed any more. */
    private boolean started;
    /** A final head went to the client. */
    private boolean headSent;
    private boolean complete;
    private boolean clientKeepAlive;
    /** The upstream's final head lets its connection stay (HTTP/1.1 without Connection: close). */
    private boolean upstreamKeepAlive;
    private BodyForm form = BodyForm.NONE;
    private Chunks.Dechunker dechunker;
    private int status;
    private long bytesSent;

    ResponseRelay(ClientSide client, MessageHead request) {
        this.client = client;
        this.request = request;
    }

    boolean started() {
        return started;
    }

    boolean headSent() {
        return headSent;
    }

    boolean complete() {
        return complete;
    }

    boolean clientKeepAlive() {
        return clientKeepAlive;
    }

    boolean upstreamKeepAlive() {
        return upstreamKeepAlive;
    }

    int status() {
        return status;
    }

    long bytesSent() {
        return bytesSent;
    }

    /** An upstream answered on the current attempt. */
    void answered() {
        started = true;
    }

    /**
     * An interim response other than 101 (RFC 9110 §15.2): relayed to HTTP/1.1 clients, dropped for
     * HTTP/1.0 ones (they would take it for the final response); the final response follows.
     */
    void interimHead(MessageHead response) {
        if (!request.isHttp10()) {
            Channel ch = client.channel();
            ch.write(ClientResponseHead.write(ch.alloc(), response, request.method(), false, true).head(), ch.voidPromise());
        }
    }

    /** The final head, written for this client; {@code wantKeepAlive} is whether the connection may stay. */
    void finalHead(MessageHead response, boolean wantKeepAlive) {
        Channel ch = client.channel();
        ClientResponseHead.Prepared prepared = ClientResponseHead.write(ch.alloc(), response, request.method(),
                request.isHttp10(), wantKeepAlive);
        status = response.status();
        upstreamKeepAlive = response.keepAlive() && !response.isHttp10();
        clientKeepAlive = prepared.keepAlive();
        form = prepared.form();
        headSent = true;
        ch.write(prepared.head(), ch.voidPromise());
    }

    /**
     * The 101 to the client's WebSocket handshake: the response is complete with its head, and
     * what follows is the tunnel's.
     */
    void switching(MessageHead response) {
        Channel ch = client.channel();
        status = response.status();
        headSent = true;
        complete = true;
        clientKeepAlive = false;
        ch.write(ClientResponseHead.writeSwitching(ch.alloc(), response));
    }

    /**
     * A piece of the body, which the relay owns.
     *
     * @return true when it was the body's last piece: the response is complete
     */
    boolean body(ByteBuf part, boolean last) {
        Channel ch = client.channel();
        if (!headSent) {
            part.release();
            return false;
        }
        switch (form) {
            case AS_IS -> {
                bytesSent += part.readableBytes();
                ch.write(part, ch.voidPromise());
            }
            case CHUNK -> {
                int size = part.readableBytes();
                if (size > 0) {
                    bytesSent += size;
                    ch.write(Chunks.sizeLine(ch.alloc(), size), ch.voidPromise());
                    ch.write(part, ch.voidPromise());
                    ch.write(Chunks.crlf(), ch.voidPromise());
                } else {
                    part.release();
                }
                if (last) {
                    ch.write(Chunks.last(), ch.voidPromise());
                }
            }
            case DECHUNK -> {
                if (dechunker == null) {
                    dechunker = new Chunks.Dechunker(64 * 1024);
                }
                dechunker.feed(part, data -> {
                    bytesSent += data.readableBytes();
                    ch.write(data, ch.voidPromise());
                });
                part.release();
            }
            default -> part.release();
        }
        if (!last) {
            return false;
        }
        complete = true;
        ch.flush();
        return true;
    }

    /**
     * Porter's own error response, when no upstream answered. An unread request body cannot be
     * skipped safely, so the connection ends after it unless the request was read whole.
     */
    void error(HttpResponseStatus errorStatus, boolean keepAlive) {
        status = errorStatus.code();
        clientKeepAlive = keepAlive;
        headSent = true;
        complete = true;
        Channel ch = client.channel();
        ch.writeAndFlush(ErrorResponses.of(ch.alloc(), errorStatus, !keepAlive), ch.voidPromise());
    }

    void flush() {
        client.channel().flush();
    }
}
