package dev.porter.upstream;

import dev.porter.tls.TlsFailures;

import java.io.IOException;

/**
 * A connect to an upstream server failed; {@link #errno()} names why (ECONNREFUSED,
 * EADDRNOTAVAIL, ETIMEDOUT..., or for a failed TLS handshake its {@link TlsFailures} reason).
 */
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

    /** A failure of this host's resources (no local port, no file descriptor), not of the server. */
    public boolean isLocal() {
        return "EADDRNOTAVAIL".equals(errno) || "EMFILE".equals(errno) || "ENFILE".equals(errno);
    }

    public boolean isTimeout() {
        return "ETIMEDOUT".equals(errno) || TlsFailures.TIMEOUT.equals(errno);
    }
}
