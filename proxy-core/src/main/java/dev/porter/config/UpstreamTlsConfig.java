package dev.porter.config;

import dev.porter.pki.Pem;
import dev.porter.pki.TlsMaterialException;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * TLS to a group's servers (nginx's {@code proxy_pass https://} with {@code proxy_ssl_verify},
 * {@code proxy_ssl_trusted_certificate}, {@code proxy_ssl_name}). The trusted certificates are
 * read when the configuration loads.
 *
 * @param enabled             connections to the group's servers speak TLS
 * @param trustedCertificates CAs to verify servers against; empty = the JDK's default trust store
 * @param serverName          sent as SNI and verified against the server's certificate; empty =
 *                            the host of each server's address as written
 * @param verify              verify the server's certificate chain and name; off only for tests
 * @param protocols           TLSv1.2 and/or TLSv1.3
 */
public record UpstreamTlsConfig(
        boolean enabled,
        List<X509Certificate> trustedCertificates,
        String serverName,
        boolean verify,
        List<String> protocols) {

    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public UpstreamTlsConfig {
        trustedCertificates = List.copyOf(trustedCertificates);
        Objects.requireNonNull(serverName, "serverName");
        protocols = List.copyOf(protocols);
    }

    static UpstreamTlsConfig from(ConfigReader t) {
        boolean enabled = t.bool("enabled");
        boolean verify = t.bool("verify");
        String serverName = t.string("server-name").trim().toLowerCase(Locale.ROOT);
        List<String> protocols = ListenerTlsConfig.protocols(t);
        if (!enabled) {
            return new UpstreamTlsConfig(false, List.of(), serverName, verify, protocols);
        }
        if (!serverName.isEmpty() && !HOST.matcher(serverName).matches()) {
            t.problem("server-name", "\"" + serverName + "\" is not a host name (no port, no scheme)");
        }
        List<X509Certificate> trusted = List.of();
        Path file = t.file("trusted-certificates");
        if (file != null) {
            try {
                trusted = Pem.readCertificates(file);
            } catch (TlsMaterialException e) {
                t.problem("trusted-certificates", e.getMessage());
            }
        }
        return new UpstreamTlsConfig(true, trusted, serverName, verify, protocols);
    }
}
