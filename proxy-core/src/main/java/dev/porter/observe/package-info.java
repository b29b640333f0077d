/**
 * What an operator sees: the {@code /status} document and the {@code /metrics} meters, built from
 * the snapshots of {@link dev.porter.metrics} and {@link dev.porter.tcp}. Reads snapshots only;
 * nothing else in proxy-core depends on it.
 */
package dev.porter.observe;
