package dev.porter.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The client's address as the forwarding headers give it ({@code X-Forwarded-For},
 * {@code X-Real-IP}: {@link UpstreamRequestHead} writes them), and in the access log.
 */
public final class ForwardedHeaders {
    private ForwardedHeaders() {
    }

    public static String clientIp(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            return a != null ? a.getHostAddress() : inet.getHostString();
        }
        return String.valueOf(address);
    }
}
