/**
 * {@code porter-bench}: the commands that reproduce the two incidents (port exhaustion, Tomcat
 * TIME_WAIT) and measure throughput and warm-up against direct connections, nginx and HAProxy.
 * Drives Porter from outside, through proxy-core's API packages only.
 */
package dev.porter.bench;
