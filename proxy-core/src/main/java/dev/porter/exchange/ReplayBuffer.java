package dev.porter.exchange;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.ArrayDeque;

/**
 * The request body sent so far, kept (as retained duplicates of the parts) so that the request
 * can be sent again on another connection: after the keepalive race or to the next server. Up
 * to {@link #LIMIT} bytes; past it, or once a response started, the request can no longer be
 * replayed and the buffer lets go. Confined to the exchange's event loop.
 */
final class ReplayBuffer {
    /** Request body kept for a replay; past it the request cannot be retried. */
    static final int LIMIT = 64 * 1024;

    /** Allocated with the first body part: most requests have none. */
    private ArrayDeque<HttpContent> parts;
    private int bytes;
    private boolean usable = true;

    /** Whether everything sent so far is still here. */
    boolean usable() {
        return usable;
    }

    /** Keeps a duplicate of {@code part} (the caller keeps its own reference). */
    void keep(HttpContent part) {
        if (!usable) {
            return;
        }
        int size = part.content().readableBytes();
        if (bytes + size > LIMIT) {
            drop();
            return;
        }
        bytes += size;
        if (parts == null) {
            parts = new ArrayDeque<>(2);
        }
        parts.add(part.retainedDuplicate());
    }

    /** Sends every kept part again, on {@code attempt}. */
    void replayTo(UpstreamAttempt attempt) {
        if (parts != null) {
            for (HttpContent c : parts) {
                attempt.sendBody(c.retainedDuplicate(), c instanceof LastHttpContent);
            }
        }
    }

    /** No replay from here on: a response started, the exchange ended, or the body outgrew the buffer. */
    void drop() {
        usable = false;
        if (parts != null) {
            HttpContent c;
            while ((c = parts.poll()) != null) {
                c.release();
            }
        }
    }
}
