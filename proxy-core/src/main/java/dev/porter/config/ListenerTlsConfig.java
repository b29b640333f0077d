package dev.porter.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import dev.porter.pki.CertifiedKey;
import dev.porter.pki.Pem;
import dev.porter.pki.TlsMaterialException;
import dev.porter.pki.TlsProvider;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * TLS on a listener (nginx's {@code listen ... ssl} with {@code ssl_certificate},
 * {@code ssl_protocols}, {@code ssl_ciphers}...). The certificates are read, parsed and checked
 * against their keys when the configuration loads, so a missing file or a key that does not
 * match is refused with its file and line, at start and on reload alike.
 *
 * @param certificates     the first is the default (no SNI, or no name matches); the others by SNI
 * @param protocols        TLSv1.2 and/or TLSv1.3
 * @param ciphers          IANA names, in preference order
 * @param handshakeTimeout from accept to a completed handshake; then the connection is closed
 * @param sessionTimeout   how long a TLS session can be resumed (session cache and tickets)
 */
public record ListenerTlsConfig(
        List<ServerCertificate> certificates,
        List<String> protocols,
        List<String> ciphers,
        Duration handshakeTimeout,
        Duration sessionTimeout) {

    private static final Set<String> ENTRY_KEYS = Set.of("server-names", "certificate", "key");
    /** A DNS name, or a wildcard for one leftmost label (what SNI can carry; RFC 6066 §3). */
    private static final Pattern SERVER_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public ListenerTlsConfig {
        certificates = List.copyOf(certificates);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }

    /**
     * @param given where the operator wrote this listener's {@code tls} block; null if they did not
     * @return null when the listener has no certificate: it speaks plain HTTP
     */
    static ListenerTlsConfig from(ConfigReader t, ConfigOrigin given) {
        List<ServerCertificate> certificates = new ArrayList<>();
        List<Path> certificateFiles = t.files("certificate");
        List<Path> keyFiles = t.files("key");
        boolean hasDefault = !certificateFiles.isEmpty() || !keyFiles.isEmpty();
        if (hasDefault) {
            List<CertifiedKey> keys = keys(t, certificateFiles, keyFiles, "is required with key", "is required with certificate");
            if (!keys.isEmpty()) {
                certificates.add(new ServerCertificate(List.of(), keys));
            }
        }
        List<? extends Config> entries = t.configList("certificates");
        for (Config entry : entries) {
            ServerCertificate c = entry(t.child("certificates[]", entry));
            if (c != null) {
                certificates.add(c);
            }
        }
        if (!hasDefault && entries.isEmpty()) {
            if (given != null) {
                t.problem(given, "certificate", "a tls block needs certificate and key, or certificates = [ ... ]");
            }
            return null;
        }
        return new ListenerTlsConfig(
                certificates,
                protocols(t),
                ciphers(t),
                t.positiveDuration("handshake-timeout"),
                t.positiveDuration("session-timeout"));
    }

    private static ServerCertificate entry(ConfigReader e) {
        for (String k : e.config().root().keySet()) {
            if (!ENTRY_KEYS.contains(k)) {
                e.problem(k, "unknown key (allowed: server-names, certificate, key)");
            }
        }
        List<String> names = new ArrayList<>();
        for (String raw : e.config().hasPath("server-names") ? e.stringList("server-names") : List.<String>of()) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (!SERVER_NAME.matcher(name).matches()) {
                e.problem("server-names", "\"" + raw + "\" is not a host name (a name like app.example.com or *.example.com)");
            } else {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            e.problem("server-names", "needs at least one name; the default certificate goes in tls.certificate and tls.key");
        }
        List<CertifiedKey> keys = keys(e, e.config().hasPath("certificate") ? e.files("certificate") : List.of(),
                e.config().hasPath("key") ? e.files("key") : List.of(), "is required", "is required");
        return keys.isEmpty() || names.isEmpty() ? null : new ServerCertificate(names, keys);
    }

    /**
     * The {@code certificate} and {@code key} of one set of names: a file each, or lists of as
     * many files paired in order (nginx's repeated {@code ssl_certificate}), one key type per
     * pair. Empty, with the problems recorded, if any pair is unusable.
     */
    private static List<CertifiedKey> keys(ConfigReader r, List<Path> certificates, List<Path> keyFiles,
            String noCertificate, String noKey) {
        if (certificates.isEmpty() || keyFiles.isEmpty()) {
            if (certificates.isEmpty()) {
                r.problem("certificate", noCertificate);
            }
            if (keyFiles.isEmpty()) {
                r.problem("key", noKey);
            }
            return List.of();
        }
        if (certificates.size() != keyFiles.size()) {
            r.problem("key", "names " + keyFiles.size() + " file(s) for " + certificates.size()
                    + " certificate(s): give one key per certificate, in the same order");
            return List.of();
        }
        List<CertifiedKey> keys = new ArrayList<>();
        Set<String> types = new HashSet<>();
        boolean usable = true;
        for (int i = 0; i < certificates.size(); i++) {
            CertifiedKey k = load(r, "certificate", certificates.get(i), "key", keyFiles.get(i));
            if (k == null) {
                usable = false;
            } else if (!types.add(k.key().getAlgorithm())) {
                r.problem("certificate", "has two certificates with " + k.key().getAlgorithm() + " keys for the same names;"
                        + " a handshake chooses by the key type the client accepts, so give each type once");
                usable = false;
            } else {
                keys.add(k);
            }
        }
        return usable ? List.copyOf(keys) : List.of();
    }

    /** Reads and pairs a chain and its key; a problem (at the key that named the file) and null if either is unusable. */
    static CertifiedKey load(ConfigReader r, String certificateKey, Path certificate, String keyKey, Path key) {
        List<X509Certificate> chain = null;
        PrivateKey privateKey = null;
        try {
            chain = Pem.readCertificates(certificate);
        } catch (TlsMaterialException e) {
            r.problem(certificateKey, e.getMessage());
        }
        try {
            privateKey = Pem.readPrivateKey(key);
        } catch (TlsMaterialException e) {
            r.problem(keyKey, e.getMessage());
        }
        if (chain == null || privateKey == null) {
            return null;
        }
        try {
            return CertifiedKey.of(chain, certificate, privateKey, key);
        } catch (TlsMaterialException e) {
            r.problem(keyKey, e.getMessage());
            return null;
        }
    }

    static List<String> protocols(ConfigReader t) {
        List<String> protocols = t.stringList("protocols");
        for (String p : protocols) {
            if (!TlsProvider.protocols().contains(p)) {
                t.problem("protocols", "unsupported protocol \"" + p + "\"; allowed: " + String.join(", ", TlsProvider.protocols()));
            }
        }
        if (protocols.isEmpty()) {
            t.problem("protocols", "needs at least one of " + String.join(", ", TlsProvider.protocols()));
        }
        return protocols;
    }

    private static List<String> ciphers(ConfigReader t) {
        List<String> ciphers = t.stringList("ciphers");
        for (String c : ciphers) {
            if (!TlsProvider.isKnownCipher(c)) {
                t.problem("ciphers", "unknown cipher suite \"" + c + "\" (use IANA names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)");
            }
        }
        if (ciphers.isEmpty()) {
            t.problem("ciphers", "needs at least one cipher suite");
        }
        return ciphers;
    }
}
