package dev.porter.exchange;

import dev.porter.config.UpstreamConfig;
import dev.porter.exchange.RetryPolicy.Failure;
import dev.porter.upstream.KeepalivePool;
import dev.porter.upstream.UpstreamConnectException;
import dev.porter.upstream.UpstreamGroup;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * The tries of one request over its upstream group: which servers it went to, how many tries it
 * took, whether its one retry for the keepalive race was used, and how long ago it started (for
 * {@code next-upstream-timeout}). It picks the server of the next try, puts the facts of a
 * failed one to {@link RetryPolicy}, tells the group's passive health ({@code max-fails}) how
 * each try went, and logs (DEBUG, naming the client connection) why a request moves on.
 *
 * <p>Most requests take one try on one server, so the set of tried servers is built only for a
 * second one. Confined to the exchange's event loop.
 */
final class UpstreamTries {
    private static final Logger logger = LoggerFactory.getLogger(UpstreamTries.class);

    private final UpstreamGroup group;
    private final UpstreamConfig config;
    private final boolean idempotent;
    private final long startNanos = System.nanoTime();
    private KeepalivePool first;
    /** Every server tried, once there were two tries. */
    private Set<KeepalivePool> tried;
    private int count;
    private boolean staleRetried;

    UpstreamTries(UpstreamGroup group, boolean idempotent) {
        this.group = group;
        this.config = group.config();
        this.idempotent = idempotent;
    }

    /** The server of the next try, one not tried yet when the group has one; null when none is live. */
    KeepalivePool next() {
        return group.pick(first == null ? Set.of() : tried != null ? tried : Set.of(first));
    }

    /** A try on {@code pool} starts. */
    void started(KeepalivePool pool) {
        count++;
        if (first == null) {
            first = pool;
        } else {
            if (tried == null) {
                tried = new HashSet<>(4);
                tried.add(first);
            }
            tried.add(pool);
        }
    }

    /** A server answered (a final response head). */
    void succeeded(KeepalivePool pool) {
        group.succeeded(pool);
    }

    /**
     * A try got no connection: counts against the server, unless Porter's own host ran out of
     * local ports or file descriptors (marking the server down would turn port exhaustion into an
     * outage).
     */
    Failure connectFailed(KeepalivePool pool, Throwable cause) {
        if (!(cause instanceof UpstreamConnectException c && c.isLocal())) {
            group.failed(pool, cause.getMessage());
        }
        return cause instanceof UpstreamConnectException c && c.isTimeout() ? Failure.TIMEOUT : Failure.ERROR;
    }

    /**
     * A try on a connection failed: counts against the server, unless the response was malformed
     * (it answered) or it may be the keepalive race (an error on a reused connection, before the
     * one retry), which is nobody's fault.
     */
    void failed(UpstreamAttempt attempt, Failure failure, String reason) {
        if (failure != Failure.MALFORMED && !(failure == Failure.ERROR && attempt.reused() && !staleRetried)) {
            group.failed(attempt.pool(), reason);
        }
    }

    /**
     * A 502/503/504 that next-upstream passes on ({@link RetryPolicy#passOn}).
     *
     * @param client the client connection, named in the log line
     * @return the server to pass it to, or null when the response goes to the client
     */
    KeepalivePool passOn(KeepalivePool from, int status, boolean replayable, Channel client) {
        if (!RetryPolicy.passOn(status, config.nextUpstream(), idempotent, replayable, count, config.effectiveTries(),
                inTime())) {
            return null;
        }
        KeepalivePool next = next();
        if (next != null) {
            group.failed(from, "answered " + status);
            logger.debug("{} {} from {}; trying {}", client, status, from.server().name(), next.server().name());
        }
        return next;
    }

    /**
     * After {@code attempt} failed with nothing sent to the client, by {@link RetryPolicy}'s
     * decision: the pool of the next try, which is the failed one's only for the one retry on a
     * fresh connection after the keepalive race (the next server is always another); null when
     * the request fails.
     *
     * @param reason why it failed, and {@code client} the client connection, for the log line
     */
    KeepalivePool retryAfter(UpstreamAttempt attempt, Failure failure, String reason, boolean responseStarted,
                             boolean replayable, Channel client) {
        RetryPolicy.Decision decision = RetryPolicy.decide(new RetryPolicy.Facts(failure, attempt.reused(), responseStarted,
                staleRetried, replayable, idempotent, attempt.bytesSent(), config.nextUpstream(), count,
                config.effectiveTries(), inTime()));
        KeepalivePool next = null;
        if (decision == RetryPolicy.Decision.RETRY_FRESH_CONNECTION) {
            staleRetried = true;
            attempt.pool().staleRetry();
            next = attempt.pool();
        } else if (decision == RetryPolicy.Decision.NEXT_SERVER) {
            next = next();
        }
        if (next != null) {
            logger.debug("{} {} ({}); {} {}", client, reason, attempt.pool().server().name(),
                    next == attempt.pool() ? "stale pooled connection, retrying on a fresh one to" : "trying",
                    next.server().name());
        }
        return next;
    }

    private boolean inTime() {
        return config.nextUpstreamTimeout().isZero() || System.nanoTime() - startNanos < config.nextUpstreamTimeout().toNanos();
    }
}
