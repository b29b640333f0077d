package dev.porter.exchange;

import io.netty.buffer.ByteBuf;

/**
 * The request body's way upstream: each piece from the client goes to the attempt that is
 * sending, and a copy stays in the {@link ReplayBuffer} for as long as a replay on another
 * connection is possible; a new attempt gets what was kept first. A body-less request is complete
 * with its head.
 *
 * <p>Confined to the exchange's event loop.
 */
final class RequestBody {
    private final ReplayBuffer replay = new ReplayBuffer();
    private final boolean bodyless;
    /** The whole request was read from the client. */
    private boolean complete;

    RequestBody(boolean hasBody) {
        this.bodyless = !hasBody;
        this.complete = bodyless;
    }

    boolean bodyless() {
        return bodyless;
    }

    /** Whether the whole request was read from the client. */
    boolean complete() {
        return complete;
    }

    /** Whether everything of the body sent so far can be sent again. */
    boolean replayable() {
        return replay.usable();
    }

    /**
     * A piece from the client, which this takes over: kept for a replay and sent on
     * {@code attempt} when it is sending (else dropped: the attempt gets it from the replay buffer).
     */
    void piece(ByteBuf part, boolean last, UpstreamAttempt attempt) {
        if (bodyless) {
            part.release();
            return;
        }
        complete = last;
        replay.keep(part, last);
        if (attempt != null && attempt.sending()) {
            attempt.sendBody(part, last);
        } else {
            part.release();
        }
    }

    /** What was kept, sent again on a new attempt. */
    void replayTo(UpstreamAttempt attempt) {
        replay.replayTo(attempt);
    }

    /** No replay from here on. */
    void dropReplay() {
        replay.drop();
    }
}
