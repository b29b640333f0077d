package dev.porter.observe;

import dev.porter.tcp.TcpCensus;

import java.nio.file.NoSuchFileException;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One attempt at the kernel's view of Porter's sockets: either a {@link TcpCensus} or the
 * reason there is none (not Linux, /proc not mounted, a table that did not parse). /status and
 * /metrics show the reason instead of failing: the pool counters are still worth having.
 *
 * <p>Immutable; usable from any thread. {@link #take} does blocking file I/O: call it on the
 * admin-tasks thread, never on an event loop.
 *
 * @param census     the census, or null when it could not be taken
 * @param unavailable why there is no census, or null when there is one
 */
public record TcpReading(TcpCensus census, String unavailable) {
    public TcpReading {
        if ((census == null) == (unavailable == null)) {
            throw new IllegalArgumentException("exactly one of census and unavailable");
        }
    }

    public static TcpReading of(TcpCensus census) {
        return new TcpReading(Objects.requireNonNull(census, "census"), null);
    }

    public static TcpReading unavailable(String reason) {
        return new TcpReading(null, Objects.requireNonNull(reason, "reason"));
    }

    /** Runs {@code census} (e.g. {@code porter::tcpCensus}) and turns any failure into a reason. */
    public static TcpReading take(Callable<TcpCensus> census) {
        try {
            return of(census.call());
        } catch (NoSuchFileException e) {
            // The usual case off Linux: say so rather than print a bare path.
            return unavailable("cannot read " + e.getFile() + " (the kernel's view needs Linux /proc)");
        } catch (Exception e) {
            return unavailable(CauseChain.describe(e));
        }
    }

    public boolean available() {
        return census != null;
    }
}
