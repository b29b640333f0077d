/**
 * TLS material, read and checked when the configuration loads: PEM certificate chains and keys,
 * a chain paired with its key, and the TLS implementation in use with the protocols and cipher
 * suites it knows. Depends on nothing of Porter's, so that {@link dev.porter.config} can use it;
 * {@link dev.porter.tls} builds contexts from it.
 */
package dev.porter.pki;
