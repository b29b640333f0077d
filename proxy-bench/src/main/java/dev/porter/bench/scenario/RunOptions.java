package dev.porter.bench.scenario;

import java.time.Duration;

/**
 * The load every mode of a run gets.
 *
 * @param duration    per mode (per target and round in {@code throughput})
 * @param concurrency client connections
 * @param workers     Porter's and nginx's workers
 * @param rate        requests/s for an open loop, 0 = closed loop
 */
public record RunOptions(Duration duration, int concurrency, int workers, long rate) {

    /** Idle connections per worker that cover the concurrency: ceil(concurrency / workers). */
    public int sizedPool() {
        return (concurrency + workers - 1) / workers;
    }
}
