package dev.porter.metrics;

import io.netty.channel.ConnectTimeoutException;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * Names a connect failure by its errno, as an operator would look it up
 * ({@code EADDRNOTAVAIL} is the incident's "cannot assign requested address").
 * Netty's native transport and the JDK both report only the strerror text, so the name is
 * recovered from that text. The benchmark's load generator names its own failures with it, so
 * that the bench and {@code /status} call one failure by one name.
 */
public final class Errno {
    /** "Cannot assign requested address": no free local port toward that destination. */
    public static final String EADDRNOTAVAIL = "EADDRNOTAVAIL";

    /** What {@link #classify} answers for a failure it has no errno name for. */
    public static final String OTHER = "OTHER";

    private Errno() {
    }

    /**
     * The errno name of {@code failure}, or of the first of its causes that has one (a wrapper
     * such as a decoder exception carries the socket error as its cause); {@link #OTHER} when none has.
     */
    public static String classify(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = classifyOne(c);
            if (!OTHER.equals(name)) {
                return name;
            }
        }
        return OTHER;
    }

    private static String classifyOne(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "ETIMEDOUT";
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("cannot assign requested address")) {
            return EADDRNOTAVAIL;
        }
        if (message.contains("connection refused")) {
            return "ECONNREFUSED";
        }
        if (message.contains("connection reset")) {
            return "ECONNRESET";
        }
        if (message.contains("network is unreachable")) {
            return "ENETUNREACH";
        }
        if (message.contains("no route to host") || cause instanceof NoRouteToHostException) {
            return "EHOSTUNREACH";
        }
        if (message.contains("too many open files in system")) {
            return "ENFILE";
        }
        if (message.contains("too many open files")) {
            return "EMFILE";
        }
        if (message.contains("broken pipe")) {
            return "EPIPE";
        }
        if (message.contains("address already in use")) {
            return "EADDRINUSE";
        }
        if (message.contains("timed out")) {
            return "ETIMEDOUT";
        }
        if (cause instanceof BindException) {
            return "EADDRINUSE";
        }
        if (cause instanceof ConnectException) {
            return "ECONNREFUSED";
        }
        return OTHER;
    }
}
