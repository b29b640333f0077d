package dev.porter.bench.load;

import dev.porter.bench.proxy.ProcessCpu;

/**
 * One measured run of a {@link LoadDriver} against one target, whatever generated it.
 *
 * @param seconds   how long requests were sent
 * @param errors    failed connects, I/O errors and non-2xx responses
 * @param errorText the errors by kind, or null
 * @param p999Millis null when the generator cannot tell (ab)
 * @param clientCpu the load generator's own CPU over the run, or null when unknown
 */
public record LoadSample(long requests, double seconds, long errors, String errorText, double p50Millis,
                         double p90Millis, double p99Millis, Double p999Millis, ProcessCpu.Times clientCpu) {
    public double rps() {
        return seconds <= 0 ? 0 : requests / seconds;
    }
}
