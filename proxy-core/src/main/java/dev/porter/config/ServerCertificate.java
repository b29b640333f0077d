package dev.porter.config;

import dev.porter.pki.CertifiedKey;

import java.util.List;

/**
 * The certificates of a TLS listener for one set of server names (SNI); empty names for the
 * listener's default, served when no name matches or the client sends none. Names are lower
 * case; {@code *.example.com} matches one label.
 *
 * @param keys one certificate per key type (RSA, EC...), in the operator's order of preference:
 *             a handshake gets the first one the client accepts
 */
public record ServerCertificate(List<String> serverNames, List<CertifiedKey> keys) {
    public ServerCertificate {
        serverNames = List.copyOf(serverNames);
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
    }

    /** The most preferred certificate. */
    public CertifiedKey first() {
        return keys.get(0);
    }
}
