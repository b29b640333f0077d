/**
 * TLS on the connections: a listener's server contexts (chosen by SNI, swapped on reload), the
 * client-side handshake gate and its timeout, and the contexts for upstream groups that speak
 * TLS. The material itself comes from {@link dev.porter.pki}.
 */
package dev.porter.tls;
