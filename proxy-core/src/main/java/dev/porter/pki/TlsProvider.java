package dev.porter.pki;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which TLS implementation Porter uses: OpenSSL (BoringSSL, from netty-tcnative) when its
 * native library loads on this platform, for its speed and lower allocation; the JDK's
 * otherwise. Both are configured from the same settings and behave the same to clients.
 *
 * <p>Decided on first use, once, and only asked for when a listener or an upstream group
 * speaks TLS: finding out loads netty-tcnative's native library and initialises the JDK's
 * TLS (~600 classes; ~6 MB of resident memory after start), which a Porter without TLS never needs.
 * Thread-safe (class initialisation).
 */
public final class TlsProvider {
    private static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    private TlsProvider() {
    }

    /** The implementation to use; the first call loads it (see the class comment). */
    public static SslProvider best() {
        return Best.PROVIDER;
    }

    /** For the start-up line: "OpenSSL (BoringSSL)" or "JDK (OpenSSL unavailable: ...)". */
    public static String describe(SslProvider provider) {
        if (provider == SslProvider.OPENSSL || provider == SslProvider.OPENSSL_REFCNT) {
            return "OpenSSL (" + OpenSsl.versionString() + ")";
        }
        Throwable why = OpenSsl.unavailabilityCause();
        return why == null ? "JDK" : "JDK (OpenSSL unavailable: " + why.getMessage() + ")";
    }

    /** The protocol versions Porter accepts in configuration; older ones are broken. */
    public static List<String> protocols() {
        return PROTOCOLS;
    }

    /**
     * Whether either implementation knows {@code cipher} by its IANA name
     * ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}); a typo is thus caught when the
     * configuration loads rather than silently dropped.
     */
    public static boolean isKnownCipher(String cipher) {
        return KnownCiphers.ALL.contains(cipher);
    }

    /** Computed on first use, see the class comment. */
    private static final class Best {
        static final SslProvider PROVIDER = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Computed once: asking OpenSSL loads its native library. */
    private static final class KnownCiphers {
        static final Set<String> ALL = load();

        private static Set<String> load() {
            Set<String> all = new HashSet<>();
            try {
                all.addAll(List.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no TLS", e);
            }
            if (OpenSsl.isAvailable()) {
                all.addAll(OpenSsl.availableJavaCipherSuites());
            }
            return Set.copyOf(all);
        }
    }
}
