/**
 * The load: the bench's own Netty load generator with bounded users and latency histograms,
 * idle clients, and the external generators ({@code wrk}, {@code ab}) when installed.
 */
package dev.porter.bench.load;
