package dev.porter.config;

import dev.porter.pki.CertifiedKey;

import java.util.List;
import java.util.Objects;

/**
 * One certificate of a TLS listener and the server names (SNI) it answers for; empty names
 * for the listener's default certificate, served when no name matches or the client sends none.
 * Names are lower case; {@code *.example.com} matches one label.
 */
public record ServerCertificate(List<String> serverNames, CertifiedKey key) {
    public ServerCertificate {
        serverNames = List.copyOf(serverNames);
        Objects.requireNonNull(key, "key");
    }
}
