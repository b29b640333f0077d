package dev.porter.exchange;

import dev.porter.config.NextUpstream;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Set;

/**
 * Decides, in one place, what happens when an upstream attempt fails before any of its
 * response reached the client: retry on a fresh connection to the same server (the keepalive
 * race), pass the request to the next server ({@code next-upstream}), or fail (502/504).
 *
 * <p>The rule that protects users from both 502s and double effects: a request is replayed only
 * if none of it reached the upstream, or it is idempotent (RFC 9110 §9.2.2) and all of it that
 * was sent is still in the replay buffer.
 */
final class RetryPolicy {
    /** How the attempt failed. */
    enum Failure {
        /** Connect refused/reset, connection closed, I/O error. */
        ERROR,
        /** Connect, read or send timeout. */
        TIMEOUT,
        /** The upstream sent something that is not a valid response. Never retried: it answered. */
        MALFORMED
    }

    enum Decision { RETRY_FRESH_CONNECTION, NEXT_SERVER, FAIL }

    /**
     * @param reusedConnection the attempt ran on a pooled connection that had served requests before
     * @param responseStarted  a response head (or interim response) came back on the attempt
     * @param staleRetried     this request was already retried once for the keepalive race
     * @param replayable       everything of the request sent so far is still buffered for a replay
     * @param requestBytesSent some of the request was written to the upstream's socket
     * @param tries            attempts made so far, over all servers
     * @param maxTries         next-upstream-tries (or the number of servers)
     * @param inTime           still within next-upstream-timeout
     */
    record Facts(Failure failure, boolean reusedConnection, boolean responseStarted, boolean staleRetried,
                 boolean replayable, boolean idempotent, boolean requestBytesSent,
                 Set<NextUpstream> nextUpstream, int tries, int maxTries, boolean inTime) {
    }

    private RetryPolicy() {
    }

    /** RFC 9110 §9.2.2: a method whose request may be sent twice with the effect of once. */
    static boolean idempotent(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.PUT)
                || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.OPTIONS) || m.equals(HttpMethod.TRACE);
    }

    static Decision decide(Facts f) {
        boolean canReplay = f.replayable() && (f.idempotent() || !f.requestBytesSent());
        if (!canReplay || f.responseStarted() || f.failure() == Failure.MALFORMED) {
            return Decision.FAIL;
        }
        if (f.failure() == Failure.ERROR && f.reusedConnection() && !f.staleRetried()) {
            // The keepalive race: the upstream closed the idle connection as Porter reused it.
            return Decision.RETRY_FRESH_CONNECTION;
        }
        NextUpstream condition = f.failure() == Failure.TIMEOUT ? NextUpstream.TIMEOUT : NextUpstream.ERROR;
        if (f.nextUpstream().contains(condition) && f.inTime() && f.tries() < f.maxTries()) {
            return Decision.NEXT_SERVER;
        }
        return Decision.FAIL;
    }

    /**
     * nginx's {@code proxy_next_upstream http_502/503/504}: whether a response with {@code status}
     * sends the request to the next server instead of to the client. Only an idempotent request
     * whose body is all still in the replay buffer, with tries and time left.
     */
    static boolean passOn(int status, Set<NextUpstream> nextUpstream, boolean idempotent, boolean replayable,
                          int tries, int maxTries, boolean inTime) {
        NextUpstream condition = status == 502 ? NextUpstream.HTTP_502 : status == 503 ? NextUpstream.HTTP_503
                : status == 504 ? NextUpstream.HTTP_504 : null;
        return condition != null && nextUpstream.contains(condition) && idempotent && replayable
                && tries < maxTries && inTime;
    }
}
