package dev.porter.tls;

import io.netty.handler.ssl.SslHandshakeTimeoutException;

import java.security.cert.CertificateException;
import java.security.cert.CertPathValidatorException;

/**
 * Names why a TLS handshake with an upstream failed, for {@code /status} (per server, next to
 * the connect errors) and for {@code next-upstream}: {@code tls-certificate} when the server's
 * certificate was not trusted or not for the expected name (fix the CA or {@code server-name}),
 * {@code tls-handshake-timeout}, and {@code tls-handshake} for anything else (no common
 * protocol or cipher, a plain HTTP server, an alert from the server).
 */
public final class TlsFailures {
    public static final String CERTIFICATE = "tls-certificate";
    public static final String HANDSHAKE = "tls-handshake";
    public static final String TIMEOUT = "tls-handshake-timeout";

    private TlsFailures() {
    }

    public static String classify(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SslHandshakeTimeoutException) {
                return TIMEOUT;
            }
            if (c instanceof CertificateException || c instanceof CertPathValidatorException
                    // BoringSSL's own words when the verification callback said no.
                    || String.valueOf(c.getMessage()).contains("CERTIFICATE_VERIFY_FAILED")) {
                return CERTIFICATE;
            }
        }
        return HANDSHAKE;
    }
}
