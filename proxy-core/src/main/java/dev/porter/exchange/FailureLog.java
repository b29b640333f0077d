package dev.porter.exchange;

import dev.porter.http.MessageHead;
import io.netty.channel.Channel;
import org.slf4j.Logger;

/**
 * WARN lines for failed requests, at most {@link #PER_SECOND} a second per worker; the rest
 * go to DEBUG and are counted, and the next WARN line says how many were held back. When the
 * ports run out, every request fails the same way: a line per request would bury the log (and
 * cost the event loop a synchronous write each) without telling the operator anything more.
 *
 * <p>One per worker, confined to its event loop.
 */
public final class FailureLog {
    static final int PER_SECOND = 10;
    private long windowStart = System.nanoTime();
    private int inWindow;
    private long suppressed;

    /**
     * Porter answers {@code request} itself with {@code status}: WARN (rate-limited) for a 5xx,
     * an upstream failure an operator can act on; DEBUG for a refused request.
     */
    void answered(Logger logger, Channel channel, MessageHead request, int status, String reason) {
        if (status >= 500) {
            warn(logger, "{} {} {} -> {}: {}", channel, request.method(), request.target(), status, reason);
        } else {
            logger.debug("{} {} {} -> {}: {}", channel, request.method(), request.target(), status, reason);
        }
    }

    void warn(Logger logger, String format, Object... args) {
        long now = System.nanoTime();
        if (now - windowStart >= 1_000_000_000L) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow <= PER_SECOND) {
            if (suppressed > 0) {
                logger.warn("({} similar failures in the last moments were logged at DEBUG only)", suppressed);
                suppressed = 0;
            }
            logger.warn(format, args);
        } else {
            suppressed++;
            logger.debug(format, args);
        }
    }
}
