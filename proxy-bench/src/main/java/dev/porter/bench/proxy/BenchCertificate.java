package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one certificate every proxy of a {@code --tls} run serves, so that the handshakes compared
 * cost the same key operation: a self-signed RSA 2048 certificate for {@code localhost} and
 * {@code 127.0.0.1}, made with {@code openssl req} as the README's TLS example makes one (the
 * commonest key in the field; the load generators do not verify it, as clients of a benchmark
 * need not). Three PEM files in a directory the caller owns: the certificate, its unencrypted
 * PKCS#8 key, and both in one file, which is how HAProxy's {@code crt} takes them.
 *
 * @param certificate the certificate (nginx {@code ssl_certificate}, Porter {@code tls.certificate})
 * @param key         its private key (nginx {@code ssl_certificate_key}, Porter {@code tls.key})
 * @param combined    certificate then key (HAProxy {@code bind ... ssl crt})
 */
public record BenchCertificate(Path certificate, Path key, Path combined) {
    /** What the report says about it. */
    public static final String DESCRIPTION = "self-signed RSA 2048, CN=localhost, SAN DNS:localhost IP:127.0.0.1";

    private static final long OPENSSL_TIMEOUT_SECONDS = 60;

    /** openssl on PATH, else /usr/bin/openssl. */
    public static Optional<Path> locateOpenssl() {
        return Binaries.locate("openssl");
    }

    /** Makes the certificate and key with {@code openssl} into {@code dir} (which must exist). */
    public static BenchCertificate generate(Path openssl, Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("bench-cert.pem");
        Path key = dir.resolve("bench-key.pem");
        // -nodes: no passphrase (Porter, nginx and HAProxy read the key unattended); a short
        // validity since the files live only as long as the run
        run(List.of(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()), dir);
        Path combined = dir.resolve("bench-cert-and-key.pem");
        Files.writeString(combined, Files.readString(cert, StandardCharsets.US_ASCII)
                + Files.readString(key, StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
        return new BenchCertificate(cert, key, combined);
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Path out = dir.resolve("openssl.out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(OPENSSL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("openssl req did not finish within " + OPENSSL_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("openssl req failed (exit " + p.exitValue() + "): "
                        + Files.readString(out, StandardCharsets.UTF_8).strip());
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(out);
        }
    }
}
