package dev.porter.config;

import java.util.Locale;

/**
 * Which side sends the first FIN when Porter ends a connection, and so where TIME_WAIT lands.
 * The upstream leg allows {@link #PROXY}, {@link #PEER} ("upstream") and {@link #RESET};
 * the client leg allows {@link #PROXY}, {@link #PEER} ("client") and {@link #RESET}.
 */
public enum CloseInitiator {
    /** Porter closes: TIME_WAIT on the proxy. */
    PROXY,
    /** Porter asks the peer to close (Connection: close) and waits: TIME_WAIT on the peer. */
    PEER,
    /** SO_LINGER 0: an RST, no TIME_WAIT anywhere. Unsafe: a late segment can hit a new connection. */
    RESET;

    static CloseInitiator parse(String raw, String peerWord) {
        String v = raw.toLowerCase(Locale.ROOT);
        if (v.equals("proxy")) {
            return PROXY;
        }
        if (v.equals(peerWord)) {
            return PEER;
        }
        return v.equals("reset") ? RESET : null;
    }
}
