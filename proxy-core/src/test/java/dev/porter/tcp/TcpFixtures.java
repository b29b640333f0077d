package dev.porter.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixture tables under {@code src/test/resources/tcp}: a proxy on 10.0.0.5 with listeners
 * 0.0.0.0:8000, 127.0.0.1:8001 and [::]:8443, talking to an upstream at 10.0.0.20:8080 (in the
 * same namespace, so its own sockets show too) and to one at [2001:db8::20]:8080. The tables
 * were written little-endian, as an x86 or arm64 kernel prints them.
 */
final class TcpFixtures {
    private TcpFixtures() {
    }

    /** The directory holding the fixture {@code tcp} and {@code tcp6}, like {@code /proc/net}. */
    static Path netnsDir() {
        return resource("netns");
    }

    static Path resource(String name) {
        try {
            return Path.of(TcpFixtures.class.getResource("/tcp/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static String table(String name) throws IOException {
        return Files.readString(netnsDir().resolve(name), StandardCharsets.US_ASCII);
    }

    /** A socket address from a numeric literal, never looked up. */
    static InetSocketAddress addr(String literal, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
