package dev.porter.upstream;

import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;

/**
 * Whoever an upstream connection is serving right now: the exchange that acquired it.
 * Called on the connection's event loop only.
 */
public interface ResponseReceiver {
    /**
     * A response head (an interim 1xx one, or the final one). It is the connection's parser's:
     * valid until the next head is parsed, that is until this call returns.
     */
    void onResponseHead(MessageHead head);

    /**
     * A piece of the final response's body, as it came on the wire (chunk framing included for a
     * chunked body); the receiver owns it. {@code last} marks the body's end (the piece may be empty).
     */
    void onResponseBody(ByteBuf part, boolean last);

    /** What the upstream sent is not a valid response (or answers no request): nothing more is read. */
    void onResponseInvalid(String reason);

    /** The end of one read burst from the upstream: time to flush toward the client. */
    void onResponseReadComplete();

    /** The upstream channel became writable or not: pause or resume reading the client. */
    void onUpstreamWritabilityChanged(boolean writable);

    /** The connection closed while serving this receiver. */
    void onUpstreamClosed();

    /** An I/O error on the connection. */
    void onUpstreamError(Throwable cause);

    /** No byte from the upstream within read-timeout. */
    void onUpstreamReadTimeout();

    /** The upstream took none of the request within send-timeout. */
    void onUpstreamSendTimeout();
}
