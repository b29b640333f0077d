/**
 * The scenarios: each mode of each incident run against its proxy, in a network namespace with a
 * narrowed port range where that is needed, and the throughput and warm-up plans.
 */
package dev.porter.bench.scenario;
