package dev.porter.upstream;

import java.io.IOException;

/** A connect to an upstream server failed; {@link #errno()} names why (ECONNREFUSED, EADDRNOTAVAIL, ETIMEDOUT...). */
public final class UpstreamConnectException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String errno;

    UpstreamConnectException(String server, String errno, Throwable cause) {
        super("connect to " + server + " failed: " + errno + " (" + cause.getMessage() + ")", cause);
        this.errno = errno;
    }

    public String errno() {
        return errno;
    }

    public boolean isTimeout() {
        return "ETIMEDOUT".equals(errno);
    }
}
