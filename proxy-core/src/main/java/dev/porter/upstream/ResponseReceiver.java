package dev.porter.upstream;

import io.netty.handler.codec.http.HttpObject;

/**
 * Whoever an upstream connection is serving right now: the exchange that acquired it.
 * Called on the connection's event loop only.
 */
public interface ResponseReceiver {
    /** A decoded part of the response; the receiver owns it (forwards or releases it). */
    void onResponse(HttpObject msg);

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
