package dev.porter.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a TLS listener agrees with an OpenSSL client offering OpenSSL's defaults, as wrk and ab
 * do: one {@code openssl s_client -brief} handshake, for the report, so that a run shows every
 * proxy negotiated the same protocol, suite, key exchange and signature (otherwise the
 * handshakes compared would not cost the same). Bounded in time; the child is reaped.
 */
public final class TlsProbe {
    private static final long TIMEOUT_SECONDS = 20;
    private static final Pattern PROTOCOL = Pattern.compile("Protocol version: (\\S+)");
    private static final Pattern SUITE = Pattern.compile("Ciphersuite: (\\S+)");
    private static final Pattern TEMP_KEY = Pattern.compile("(?:Server|Peer) Temp Key: ([^,\\n]+)");
    private static final Pattern SIGNATURE = Pattern.compile("Signature type: (\\S+)");

    private TlsProbe() {
    }

    /**
     * One handshake with {@code target}, without ALPN as wrk and ab; the agreed parameters as one
     * line ({@code TLSv1.3 TLS_AES_256_GCM_SHA384 X25519 RSA-PSS}), or what went wrong.
     */
    public static String probe(Path openssl, InetSocketAddress target) throws InterruptedException {
        Path out = null;
        try {
            out = Files.createTempFile("porter-bench-s_client", ".out");
            Process p = new ProcessBuilder(openssl.toString(), "s_client", "-brief",
                    "-servername", "localhost", "-connect", PorterConfigWriter.hostPort(target))
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            try {
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    return "unknown (openssl s_client did not finish within " + TIMEOUT_SECONDS + " s)";
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
            return parse(Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** The agreed parameters from {@code s_client -brief}'s output, or "unknown (...)" when it has none. */
    static String parse(String out) {
        Matcher protocol = PROTOCOL.matcher(out);
        if (!protocol.find()) {
            String first = out.strip().lines().findFirst().orElse("no output");
            return "unknown (no handshake: " + first + ")";
        }
        List<String> parts = new ArrayList<>();
        parts.add(protocol.group(1));
        for (Pattern p : List.of(SUITE, TEMP_KEY, SIGNATURE)) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                parts.add(m.group(1).strip());
            }
        }
        return String.join(" ", parts);
    }
}
