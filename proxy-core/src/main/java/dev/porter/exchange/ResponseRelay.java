package dev.porter.exchange;

import dev.porter.http.ClientResponses;
import dev.porter.http.ErrorResponses;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The response's way to the client: interim (1xx) heads for clients that understand them, the
 * final head prepared for this client ({@link ClientResponses}), the body parts as they come,
 * or Porter's own error response when no upstream answered. It tracks how far the response
 * got, which is what decides whether a failure can still be retried (nothing sent yet) or must
 * cut the client connection (a head already went out).
 *
 * <p>Confined to the client connection's event loop.
 */
final class ResponseRelay {
    private final ClientSide client;
    private final HttpRequest request;
    /** An upstream answered (a head or an interim head came): the request cannot be replayed any more. */
    private boolean started;
    /** A final head went to the client. */
    private boolean headSent;
    /** An interim response's (empty) body is being passed. */
    private boolean interim;
    private boolean complete;
    private boolean clientKeepAlive;
    private int status;
    private long bytesSent;

    ResponseRelay(ClientSide client, HttpRequest request) {
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
     * An interim response (RFC 9110 §15.2): relayed to HTTP/1.1 clients, dropped for HTTP/1.0
     * ones (they would take it for the final response); the final response follows.
     *
     * @return false when it was dropped (the caller releases it)
     */
    boolean interimHead(HttpResponse response) {
        interim = true;
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return false;
        }
        ClientResponses.prepare(response, request.method(), request.protocolVersion(), true);
        client.channel().write(response);
        return true;
    }

    /** The final head, prepared for this client; {@code wantKeepAlive} is whether the connection may stay. */
    void finalHead(HttpResponse response, boolean wantKeepAlive) {
        status = response.status().code();
        clientKeepAlive = ClientResponses.prepare(response, request.method(), request.protocolVersion(), wantKeepAlive);
        headSent = true;
        client.channel().write(response);
    }

    /**
     * A part of the body, which the relay owns.
     *
     * @param requestComplete the whole request was read from the client
     * @return true when it was the final response's last part: the response is complete
     */
    boolean content(HttpContent content, boolean requestComplete) {
        boolean last = content instanceof LastHttpContent;
        Channel ch = client.channel();
        if (interim) {
            interim = !last;
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                ch.write(content);
            } else {
                content.release();
            }
            return false;
        }
        if (!headSent) {
            content.release();
            return false;
        }
        bytesSent += content.content().readableBytes();
        if (!last) {
            ch.write(content);
            return false;
        }
        complete = true;
        if (!requestComplete) {
            // The upstream answered before the whole body was sent (an early 413, say): the rest
            // of the body cannot go anywhere, so the client connection ends after this response.
            clientKeepAlive = false;
        }
        ch.writeAndFlush(content);
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
        client.channel().writeAndFlush(ErrorResponses.of(client.channel().alloc(), errorStatus, !keepAlive));
    }

    void flush() {
        client.channel().flush();
    }
}
