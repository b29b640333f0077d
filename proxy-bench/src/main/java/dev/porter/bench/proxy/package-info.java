/**
 * The proxies under test and the processes that run them: Porter (in process or as a child),
 * nginx and HAProxy configured alike, the JVM origin; their settings, CPU and memory, and
 * readings of Porter's {@code /status}.
 */
package dev.porter.bench.proxy;
