package dev.porter.server;

import dev.porter.client.ClientAddress;
import dev.porter.config.ListenerConfig;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamHttpVersion;
import dev.porter.http.MessageHead;
import dev.porter.upstream.UpstreamGroup;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Decides, for a request whose head was parsed, whether it goes upstream and where: the
 * listener's {@code rate-per-ip} (429), a route for its Host and path (404), {@code max-body-size}
 * against a declared Content-Length (413), and a chunked body an HTTP/1.0 upstream could not
 * read (411). A refused request never reaches an upstream.
 *
 * <p>One per client connection, owned by {@link ClientConnectionHandler}; the outcome of the
 * last {@link #admit} is read from it, so a request costs no result object. Confined to the
 * connection's event loop.
 */
final class RequestAdmission {
    private final Worker worker;
    private final ListenerConfig listener;
    /** Null when the listener sets no rate-per-ip. */
    private final ClientRateLimit rateLimit;
    private RouteConfig route;
    private UpstreamGroup group;
    private long retryAfterSeconds;

    RequestAdmission(Worker worker, ListenerConfig listener, ClientRateLimit rateLimit) {
        this.worker = worker;
        this.listener = listener;
        this.rateLimit = rateLimit;
    }

    /**
     * @param client the request's client address (the rate limit is per address)
     * @return null when the request goes to {@link #route()} and {@link #group()}, else the status Porter answers with
     */
    HttpResponseStatus admit(MessageHead request, ClientAddress client) {
        route = null;
        group = null;
        if (rateLimit != null) {
            TokenBucket bucket = rateLimit.bucketFor(client);
            if (!rateLimit.admit(bucket)) {
                retryAfterSeconds = rateLimit.retryAfterSeconds(bucket);
                return HttpResponseStatus.TOO_MANY_REQUESTS;
            }
        }
        RouteConfig r = worker.router().route(request.host(), request.originTarget());
        if (r == null) {
            return HttpResponseStatus.NOT_FOUND;
        }
        UpstreamGroup g = worker.upstreams().get(r.upstream());
        long max = listener.maxBodySize();
        if (max > 0 && request.contentLength() > max) {
            return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
        }
        if (g.config().httpVersion() == UpstreamHttpVersion.HTTP_1_0 && request.isChunked()) {
            // An HTTP/1.0 upstream cannot read a chunked body, and buffering it whole is not an option.
            return HttpResponseStatus.LENGTH_REQUIRED;
        }
        route = r;
        group = g;
        return null;
    }

    RouteConfig route() {
        return route;
    }

    UpstreamGroup group() {
        return group;
    }

    /** After a 429: when a well-behaved client may come back (RFC 6585 §4). */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
