package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The certificates every proxy of a {@code --tls} run serves, the same for all so that the
 * handshakes compared cost the same key operations: self-signed for {@code localhost} and
 * {@code 127.0.0.1}, made with {@code openssl req} as the README's TLS example makes them (the
 * load generators do not verify them, as clients of a benchmark need not). By default one RSA
 * 2048 certificate, the commonest key in the field; or one ECDSA P-256; or both for the same
 * name, ECDSA preferred (Porter's certificate/key lists, nginx's repeated
 * {@code ssl_certificate}, HAProxy's repeated {@code crt}). Files in a directory the caller owns.
 *
 * @param files       each certificate's files, the preferred first
 * @param description what the report says about them
 */
public record BenchCertificate(List<KeyFiles> files, String description) {
    /** What {@code --tls-keys} chooses. */
    public enum Keys {
        RSA("RSA 2048"), ECDSA("ECDSA P-256"), BOTH("ECDSA P-256 then RSA 2048 for the same name");

        private final String description;

        Keys(String description) {
            this.description = description;
        }

        /** rsa, ecdsa or both; null for anything else. */
        public static Keys parse(String s) {
            for (Keys k : values()) {
                if (k.name().equalsIgnoreCase(s.trim())) {
                    return k;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One certificate's files.
     *
     * @param certificate the certificate (nginx {@code ssl_certificate}, Porter {@code tls.certificate})
     * @param key         its unencrypted PKCS#8 private key (nginx {@code ssl_certificate_key}, Porter {@code tls.key})
     * @param combined    certificate then key (HAProxy {@code bind ... ssl crt})
     */
    public record KeyFiles(Path certificate, Path key, Path combined) {
    }

    private static final long OPENSSL_TIMEOUT_SECONDS = 60;

    public BenchCertificate {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
    }

    /** One certificate. */
    public static BenchCertificate of(Path certificate, Path key, Path combined, String description) {
        return new BenchCertificate(List.of(new KeyFiles(certificate, key, combined)), description);
    }

    /** openssl on PATH, else /usr/bin/openssl. */
    public static Optional<Path> locateOpenssl() {
        return Binaries.locate("openssl");
    }

    /** One RSA 2048 certificate, made with {@code openssl} into {@code dir} (which must exist). */
    public static BenchCertificate generate(Path openssl, Path dir) throws IOException, InterruptedException {
        return generate(openssl, dir, Keys.RSA);
    }

    /** The certificates {@code keys} names, made with {@code openssl} into {@code dir} (which must exist). */
    public static BenchCertificate generate(Path openssl, Path dir, Keys keys) throws IOException, InterruptedException {
        List<KeyFiles> files = new ArrayList<>();
        if (keys != Keys.RSA) {
            files.add(generate(openssl, dir, "ecdsa", List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256")));
        }
        if (keys != Keys.ECDSA) {
            files.add(generate(openssl, dir, "rsa", List.of("-newkey", "rsa:2048")));
        }
        return new BenchCertificate(files, "self-signed " + keys.description + ", CN=localhost, SAN DNS:localhost IP:127.0.0.1");
    }

    private static KeyFiles generate(Path openssl, Path dir, String name, List<String> newKey)
            throws IOException, InterruptedException {
        Path cert = dir.resolve("bench-" + name + "-cert.pem");
        Path key = dir.resolve("bench-" + name + "-key.pem");
        // -nodes: no passphrase (Porter, nginx and HAProxy read the key unattended); a short
        // validity since the files live only as long as the run
        List<String> command = new ArrayList<>(List.of(openssl.toString(), "req", "-x509"));
        command.addAll(newKey);
        command.addAll(List.of("-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString()));
        run(command, dir);
        Path combined = dir.resolve("bench-" + name + "-cert-and-key.pem");
        Files.writeString(combined, Files.readString(cert, StandardCharsets.US_ASCII)
                + Files.readString(key, StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
        return new KeyFiles(cert, key, combined);
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
