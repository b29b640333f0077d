/**
 * The upstream side: per worker and server a {@link dev.porter.upstream.KeepalivePool} of
 * persistent connections, the upstream pipeline and its handler, connecting (source addresses,
 * TLS), balancing within a group, and the state all workers share per server (health,
 * {@code max-conns} slots).
 */
package dev.porter.upstream;
