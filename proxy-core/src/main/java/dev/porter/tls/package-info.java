/**
 * TLS on the connections: a listener's server contexts (chosen by SNI, swapped on reload) with
 * their handshake timeout, and the contexts for upstream groups that speak TLS. The material
 * itself comes from {@link dev.porter.pki}. The handshake's gate, which holds a client
 * connection until the handshake is done, is the client pipeline's ({@code server}).
 */
package dev.porter.tls;
