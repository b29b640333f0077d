package dev.porter.tcp;

/**
 * A TCP socket state as the kernel numbers it in the {@code st} column of {@code /proc/net/tcp}
 * ({@code include/net/tcp_states.h}). The names are the kernel's, not {@code ss}'s
 * ({@code ESTABLISHED} where ss prints {@code ESTAB}, {@code TIME_WAIT} for {@code TIME-WAIT}).
 *
 * <p>Immutable; usable from any thread.
 */
public enum TcpState {
    ESTABLISHED(0x01),
    SYN_SENT(0x02),
    SYN_RECV(0x03),
    FIN_WAIT1(0x04),
    FIN_WAIT2(0x05),
    TIME_WAIT(0x06),
    CLOSE(0x07),
    CLOSE_WAIT(0x08),
    LAST_ACK(0x09),
    LISTEN(0x0A),
    CLOSING(0x0B),
    NEW_SYN_RECV(0x0C);

    // Indexed by code; the kernel's codes are dense from 1, so an array beats a map.
    private static final TcpState[] BY_CODE = new TcpState[0x0D];

    static {
        for (TcpState s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    TcpState(int code) {
        this.code = code;
    }

    /** The kernel's numeric code, as printed (in hex) in {@code /proc/net/tcp}. */
    public int code() {
        return code;
    }

    /**
     * The state with the kernel's numeric code {@code code}.
     *
     * @throws IllegalArgumentException if no state has that code
     */
    public static TcpState fromCode(int code) {
        TcpState s = orNull(code);
        if (s == null) {
            throw new IllegalArgumentException("unknown TCP state code " + code);
        }
        return s;
    }

    /** Like {@link #fromCode} but {@code null} for an unknown code, for parsers that skip them. */
    static TcpState orNull(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
