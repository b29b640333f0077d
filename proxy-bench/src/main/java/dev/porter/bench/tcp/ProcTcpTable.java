package dev.porter.bench.tcp;

import dev.porter.tcp.ProcNetTcp;
import dev.porter.tcp.TcpSocket;
import dev.porter.tcp.TcpState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code /proc/net/tcp} and {@code /proc/net/tcp6} of the current network namespace
 * through proxy-core's {@link ProcNetTcp} (the same reader Porter's admin /status uses), as
 * the bench's {@link TcpEntry} rows.
 */
public final class ProcTcpTable implements TcpTable {
    private final Path dir;

    /** Reads from {@code dir}/tcp and {@code dir}/tcp6, normally {@code /proc/net}. */
    public ProcTcpTable(Path dir) {
        this.dir = dir;
    }

    @Override
    public List<TcpEntry> read() throws IOException {
        return convert(ProcNetTcp.read(dir));
    }

    /**
     * Parses the text of one table.
     *
     * @throws IllegalArgumentException when a line is not a socket
     */
    public static List<TcpEntry> parse(String text) {
        return convert(ProcNetTcp.parse(text));
    }

    private static List<TcpEntry> convert(List<TcpSocket> sockets) {
        return sockets.stream().map(s -> new TcpEntry(s.local(), s.remote(), s.state().code())).toList();
    }

    /** proxy-core's state for a row, for callers that want the name. */
    public static TcpState state(TcpEntry e) {
        return TcpState.fromCode(e.state());
    }
}
