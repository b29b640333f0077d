package dev.porter.bench.tcp;

import java.net.InetSocketAddress;

/**
 * One row of the kernel's TCP socket table: local and remote address and the state number
 * as {@code /proc/net/tcp} prints it (6 = TIME_WAIT).
 *
 * <p>The bench's own stand-in for {@code dev.porter.tcp.TcpSocket}, until that lands in
 * proxy-core; {@link TcpTable} is the seam where it will be swapped in.
 */
public record TcpEntry(InetSocketAddress local, InetSocketAddress remote, int state) {
    /** {@code TCP_TIME_WAIT} in include/net/tcp_states.h. */
    public static final int TIME_WAIT = 6;

    public boolean isTimeWait() {
        return state == TIME_WAIT;
    }
}
