package dev.porter.config;

/**
 * How many idle connections a pool keeps per worker per server: a fixed number (nginx's
 * {@code keepalive N}; 0 = no pooling) or {@code auto}, as many as the peak of requests in
 * flight over the last {@code keepalive-window}, so that the pool follows the traffic and a
 * concurrency above a fixed number never turns into a connection (and a TIME_WAIT) per request.
 *
 * @param fixed the number when not {@code auto}
 */
public record Keepalive(boolean auto, int fixed) {
    public static final Keepalive AUTO = new Keepalive(true, 0);

    public static Keepalive of(int fixed) {
        return new Keepalive(false, fixed);
    }

    /** Whether connections are kept for reuse at all. */
    public boolean pooling() {
        return auto || fixed > 0;
    }

    /** As written in the configuration: {@code auto} or the number. */
    @Override
    public String toString() {
        return auto ? "auto" : Integer.toString(fixed);
    }
}
