package dev.porter.exchange;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;

/**
 * The request body sent so far, kept (as retained duplicates of the pieces) so that the request
 * can be sent again on another connection: after the keepalive race or to the next server. Up
 * to {@link #LIMIT} bytes; past it, or once a response started, the request can no longer be
 * replayed and the buffer lets go. Confined to the exchange's event loop.
 */
final class ReplayBuffer {
    /** Request body kept for a replay; past it the request cannot be retried. */
    static final int LIMIT = 64 * 1024;

    /** Allocated with the first body piece: most requests have none. */
    private ArrayDeque<ByteBuf> parts;
    private int bytes;
    private boolean usable = true;
    /** The body's last piece is here. */
    private boolean complete;

    /** Whether everything sent so far is still here. */
    boolean usable() {
        return usable;
    }

    /** Keeps a duplicate of {@code part} (the caller keeps its own reference). */
    void keep(ByteBuf part, boolean last) {
        if (!usable) {
            return;
        }
        int size = part.readableBytes();
        if (bytes + size > LIMIT) {
            drop();
            return;
        }
        bytes += size;
        if (parts == null) {
            parts = new ArrayDeque<>(2);
        }
        parts.add(part.retainedDuplicate());
        complete = last;
    }

    /** Sends every kept piece again, on {@code attempt}. */
    void replayTo(UpstreamAttempt attempt) {
        if (parts != null) {
            int left = parts.size();
            for (ByteBuf b : parts) {
                attempt.sendBody(b.retainedDuplicate(), --left == 0 && complete);
            }
        }
    }

    /** No replay from here on: a response started, the exchange ended, or the body outgrew the buffer. */
    void drop() {
        usable = false;
        if (parts != null) {
            ByteBuf b;
            while ((b = parts.poll()) != null) {
                b.release();
            }
        }
    }
}
