package dev.porter.close;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Keeps Porter from running out of local ports toward one upstream server (the first
 * incident), whatever the pool settings: it counts the ports Porter holds toward the server
 * (its open connections, plus its own closes of the last 60 s, each a socket in TIME_WAIT that
 * pins a port) against the budget (the ephemeral port range, times the source addresses). Past
 * {@code port-budget-guard} of the budget it <em>engages</em>: Porter stops sending the first
 * FIN on that leg, and connections it must end carry {@code Connection: close} on their last
 * request instead, so that the upstream closes and TIME_WAIT lands there, pinning no port of
 * Porter's. It disengages once the count is back under 80% of the threshold.
 *
 * <p>The count is Porter's own bookkeeping, not the kernel's (reading /proc on every close would
 * cost too much): sockets of other processes toward the same server are not in it; /status shows
 * the kernel's view beside it.
 *
 * <p>Thread-safe without locks: every worker records its closes here; one periodic task
 * ({@link #tick}) expires old ones and disengages. Both read the guard's one clock: closes and
 * expiry measured on two clocks with different origins would forget every close at each tick.
 */
public final class PortBudgetGuard {
    private static final Logger logger = LoggerFactory.getLogger(PortBudgetGuard.class);
    /** Linux keeps a socket in TIME_WAIT for TCP_TIMEWAIT_LEN, 60 s, whatever the sysctls. */
    static final int TIME_WAIT_SECONDS = 60;
    private static final long SECOND = 1_000_000_000L;

    private final String server;
    private final IntSupplier open;
    private final LongSupplier nanoClock;
    private volatile int budget;
    private volatile int thresholdPercent;
    private volatile int thresholdPorts;
    /** Closes by Porter per second, in a ring of 60 one-second buckets. */
    private final AtomicLongArray closes = new AtomicLongArray(TIME_WAIT_SECONDS);
    private final AtomicLongArray bucketSecond = new AtomicLongArray(TIME_WAIT_SECONDS);
    private final AtomicInteger recentCloses = new AtomicInteger();
    private final AtomicBoolean engaged = new AtomicBoolean();

    /**
     * @param server           for log lines
     * @param budget           local ports available toward the server
     * @param thresholdPercent share of the budget at which the guard engages; 0 = never
     * @param open             Porter's open connections to the server, all workers
     * @param nanoClock        monotonic nanoseconds, shared by all workers
     */
    public PortBudgetGuard(String server, int budget, int thresholdPercent, IntSupplier open, LongSupplier nanoClock) {
        this.server = server;
        this.open = open;
        this.nanoClock = nanoClock;
        reconfigure(budget, thresholdPercent);
        for (int i = 0; i < TIME_WAIT_SECONDS; i++) {
            bucketSecond.set(i, Long.MIN_VALUE);
        }
    }

    /** A reload may change the source addresses (the budget) and the threshold; the count stays. */
    public void reconfigure(int budget, int thresholdPercent) {
        this.budget = budget;
        this.thresholdPercent = thresholdPercent;
        this.thresholdPorts = thresholdPercent == 0 ? Integer.MAX_VALUE
                : Math.max(1, (int) ((long) budget * thresholdPercent / 100));
    }

    /** The share of the budget at which the guard engages; 0 = never. */
    public int thresholdPercent() {
        return thresholdPercent;
    }

    /** Whether Porter must leave the first FIN to the upstream now. */
    public boolean engaged() {
        return engaged.get();
    }

    /** Ports Porter holds toward the server by its own count: open connections and recent closes. */
    public int held() {
        return open.getAsInt() + recentCloses.get();
    }

    public int budget() {
        return budget;
    }

    /**
     * Porter sends the first FIN of a connection to the server: a port stays pinned for 60 s.
     * Called when Porter decides to close, before the close completes, so that the next
     * decision, in the same loop turn, already sees the guard engaged.
     */
    public void closingFirst() {
        long second = Math.floorDiv(nanoClock.getAsLong(), SECOND);
        int i = (int) Math.floorMod(second, TIME_WAIT_SECONDS);
        expire(i, second);
        closes.incrementAndGet(i);
        recentCloses.incrementAndGet();
        maybeEngage();
    }

    private void maybeEngage() {
        if (!engaged.get() && held() >= thresholdPorts && engaged.compareAndSet(false, true)) {
            logger.warn("upstream server {}: Porter holds about {} of {} local ports toward it ({} open, {} closed by"
                            + " Porter in the last {}s, each in TIME_WAIT), past the port-budget-guard of {}: Porter stops"
                            + " closing first; connections it ends send Connection: close so that the upstream closes"
                            + " and TIME_WAIT lands there. Pool more (keepalive = auto) or add source-addresses",
                    server, held(), budget, open.getAsInt(), recentCloses.get(), TIME_WAIT_SECONDS, thresholdPorts);
        }
    }

    /**
     * Once a second: forgets closes older than TIME_WAIT, engages when open connections alone
     * reach the threshold (so that the first close past it is already the upstream's), and
     * disengages when the count is low again.
     */
    public void tick() {
        long second = Math.floorDiv(nanoClock.getAsLong(), SECOND);
        for (int i = 0; i < TIME_WAIT_SECONDS; i++) {
            if (bucketSecond.get(i) <= second - TIME_WAIT_SECONDS) {
                expire(i, second - Math.floorMod(second - i, TIME_WAIT_SECONDS));
            }
        }
        maybeEngage();
        if (engaged.get() && held() < thresholdPorts * 4L / 5 && engaged.compareAndSet(true, false)) {
            logger.info("upstream server {}: Porter holds about {} of {} local ports toward it again; closing first resumes",
                    server, held(), budget);
        }
    }

    /** Empties bucket {@code i} when it still counts an older second than {@code second}. */
    private void expire(int i, long second) {
        long held = bucketSecond.get(i);
        if (held < second && bucketSecond.compareAndSet(i, held, second)) {
            recentCloses.addAndGet((int) -closes.getAndSet(i, 0));
        }
    }
}
