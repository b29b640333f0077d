package dev.porter.metrics;

import java.time.Instant;

/**
 * One upstream server's state shared by all workers, at one moment: its health and its
 * connections against {@code max-conns}, for /status and /metrics.
 *
 * @param lone           the group's only server, which is never taken out
 * @param down           out now, because of its recent failures
 * @param downUntil      when it comes back; null when it is in
 * @param fails          failures counted toward max-fails in the current window
 * @param lastFailureAt  null when it never failed
 * @param lastFailure    what went wrong last; null when it never failed
 * @param open           connections open to it from all workers
 * @param maxConns       the cap on {@code open}; 0 = none
 * @param queued         requests of all workers waiting for a connection under the cap
 * @param guardEngaged   the port budget guard is engaged: Porter leaves the first FIN to the upstream
 * @param portsHeld      local ports Porter holds toward the server by its own count (open + closed
 *                       first in the last 60 s)
 * @param portBudget     local ports available toward it (port range times source addresses)
 * @param guardPercent   the share of the budget at which the guard engages; 0 = off
 * @param sourceAddresses local addresses Porter connects from; empty = the kernel's choice
 */
public record ServerSnapshot(String upstream, String server, boolean lone, boolean down, Instant downUntil,
                             int fails, Instant lastFailureAt, String lastFailure, int open, int maxConns,
                             int queued, boolean guardEngaged, int portsHeld, int portBudget, int guardPercent,
                             java.util.List<String> sourceAddresses) {
    public ServerSnapshot {
        sourceAddresses = java.util.List.copyOf(sourceAddresses);
    }
}
