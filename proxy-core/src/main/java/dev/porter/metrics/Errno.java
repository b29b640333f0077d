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
 * recovered from that text.
 */
public final class Errno {
    private Errno() {
    }

    public static String classify(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "ETIMEDOUT";
        }
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("cannot assign requested address")) {
            return "EADDRNOTAVAIL";
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
        if (message.contains("timed out")) {
            return "ETIMEDOUT";
        }
        if (cause instanceof BindException) {
            return "EADDRINUSE";
        }
        if (cause instanceof ConnectException) {
            return "ECONNREFUSED";
        }
        return "OTHER";
    }
}
