package dev.porter.metrics;

/**
 * Pool sizing seen from the traffic of the last window, per upstream server.
 *
 * @param peakActivePerWorker the most requests in flight to this server from one worker in the last minute
 * @param keepalive           the idle cache per worker now: the configured number, or with
 *                            {@code keepalive = auto} the largest target of the workers
 * @param auto                {@code keepalive = auto}: the pool follows the peak by itself
 * @param requests            requests in the window, all workers
 * @param opened              connections opened in the window, all workers
 * @param churnPer1000        connections opened per 1,000 requests in the window, planned retirements included
 * @param surplus             connections let go in the window because the pool already held
 *                            {@code keepalive} idle ones: the churn a larger keepalive would save
 * @param recommendedKeepalive a keepalive that would hold the peak (0 when the current one does, or
 *                            when no connection was let go for the pool's size)
 */
public record SizingAdvice(String upstream, String server, int peakActivePerWorker, int keepalive, boolean auto,
                           long requests, long opened, double churnPer1000, long surplus, int recommendedKeepalive) {
}
