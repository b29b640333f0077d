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
 */
public final class TlsProvider {
    private static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    private TlsProvider() {
    }

    public static SslProvider best() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
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
