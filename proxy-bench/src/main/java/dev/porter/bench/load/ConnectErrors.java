package dev.porter.bench.load;

import io.netty.channel.ConnectTimeoutException;

/**
 * Names a connect or I/O failure by errno, from the exception's message: the JDK throws
 * {@code java.net.BindException} and Netty's epoll transport {@code Errors.NativeIoException},
 * and both carry the kernel's strerror text, e.g. "Cannot assign requested address".
 */
public final class ConnectErrors {
    public static final String EADDRNOTAVAIL = "EADDRNOTAVAIL";

    private ConnectErrors() {
    }

    /** errno name when recognised, else the exception's simple class name. */
    public static String classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectTimeoutException) {
                return "ETIMEDOUT";
            }
            String m = c.getMessage();
            if (m == null) {
                continue;
            }
            if (m.contains("Cannot assign requested address")) {
                return EADDRNOTAVAIL;
            }
            if (m.contains("Connection refused")) {
                return "ECONNREFUSED";
            }
            if (m.contains("Connection reset")) {
                return "ECONNRESET";
            }
            if (m.contains("Broken pipe")) {
                return "EPIPE";
            }
            if (m.contains("Too many open files")) {
                return "EMFILE";
            }
            if (m.contains("timed out")) {
                return "ETIMEDOUT";
            }
            if (m.contains("Address already in use")) {
                return "EADDRINUSE";
            }
        }
        return t.getClass().getSimpleName();
    }
}
