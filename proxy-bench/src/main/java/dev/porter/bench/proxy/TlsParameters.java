package dev.porter.bench.proxy;

/**
 * What nginx and HAProxy are told about TLS in a {@code --tls} run: Porter's listener defaults
 * (reference.conf's {@code tls} block) spelled in OpenSSL's words, so that every proxy offers
 * the same protocols and suites in the same order and keeps sessions as long; the key exchange
 * is then whatever the client and OpenSSL/BoringSSL agree on (X25519 with the bench's clients),
 * the same for all. Porter's own config writes none of these: its defaults are them.
 */
public final class TlsParameters {
    /** Porter's {@code protocols} default. */
    static final String PROTOCOLS = "TLSv1.2 TLSv1.3";
    /** Porter's TLS 1.2 {@code ciphers} default (Mozilla intermediate), as OpenSSL names them. */
    static final String TLS12_CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
            + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    /** Porter's TLS 1.3 {@code ciphers} default. */
    static final String TLS13_CIPHERSUITES = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
    /** Porter's {@code session-timeout} default, in seconds (nginx {@code ssl_session_timeout 5m}). */
    static final int SESSION_TIMEOUT_SECONDS = 300;

    /** One line for the report. */
    public static final String DESCRIPTION = "TLSv1.2 and TLSv1.3 offered, Porter's default suites (Mozilla "
            + "intermediate) on every proxy, session cache " + SESSION_TIMEOUT_SECONDS / 60 + " min, ALPN http/1.1";

    private TlsParameters() {
    }
}
