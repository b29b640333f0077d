package dev.porter.metrics;

/**
 * Client-side counters of one worker; written and read on its event loop only
 * (see {@link PoolStats} for why).
 */
public final class ClientStats {
    private int open;
    private int active;
    /** Connections that became WebSocket tunnels and are still open (neither active nor idle). */
    private int tunnels;
    private long tunnelsOpened;
    private long accepted;
    private long requests;
    private final long[] responsesByClass = new long[6];

    public void connectionOpened() {
        open++;
        accepted++;
    }

    public void connectionClosed() {
        open--;
    }

    public void exchangeStarted() {
        active++;
        requests++;
    }

    public void exchangeEnded() {
        active--;
    }

    public void tunnelOpened() {
        tunnels++;
        tunnelsOpened++;
    }

    public void tunnelClosed() {
        tunnels--;
    }

    public void response(int status) {
        int cls = status / 100;
        responsesByClass[cls >= 1 && cls <= 5 ? cls : 0]++;
    }

    public int open() {
        return open;
    }

    public ClientSnapshot snapshot(int worker) {
        return new ClientSnapshot(worker, open, active, Math.max(0, open - active - tunnels), accepted, requests,
                responsesByClass[1], responsesByClass[2], responsesByClass[3], responsesByClass[4], responsesByClass[5],
                tunnels, tunnelsOpened);
    }
}
