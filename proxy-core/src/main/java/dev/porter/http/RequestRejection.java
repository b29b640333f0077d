package dev.porter.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.Objects;

/**
 * Maps why a client request could not be parsed to the status the client is answered with.
 *
 * <p>{@link HeadParser} and {@link BodyFramer} throw when they refuse a request; the client
 * connection answers with {@link #statusFor(Throwable)} and closes, because after a framing
 * error no later byte on it can be trusted (RFC 9112 §6.3, last paragraph).
 *
 * <p>Stateless; safe from any thread.
 */
public final class RequestRejection {

    private RequestRejection() {
    }

    /**
     * The status to answer a request whose decoding failed with {@code cause}:
     * 414 for a request line over the limit, 431 for a header section over the limit
     * (RFC 6585 §5), the carried status for a {@link Exception}, 400 for anything else.
     */
    public static HttpResponseStatus statusFor(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (cause instanceof Exception rejection) {
            return rejection.status();
        }
        return HttpResponseStatus.BAD_REQUEST;
    }

    /**
     * A request refused by Porter's own checks, with the status to answer and a short reason
     * for the log. The reason is never sent to the client.
     *
     * <p>It carries no stack trace: it is raised by whatever bytes a client sends, so it must
     * be cheap to create, and the reason says all there is to say.
     */
    public static final class Exception extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient HttpResponseStatus status;

        public Exception(HttpResponseStatus status, String reason) {
            super(Objects.requireNonNull(reason, "reason"), null, false, false);
            this.status = Objects.requireNonNull(status, "status");
        }

        /** The status to answer the client with. */
        public HttpResponseStatus status() {
            return status;
        }

        /** A short description of the violated rule, for logs. */
        public String reason() {
            return getMessage();
        }
    }
}
