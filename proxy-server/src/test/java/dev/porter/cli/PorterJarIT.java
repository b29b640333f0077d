package dev.porter.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped jar as a whole: the shade plugin's merged {@code reference.conf} still holds
 * every default of proxy-core, and {@code java -jar porter.jar} ends with the documented exit
 * statuses (0 ok, 1 invalid configuration, 2 usage, 3 cannot bind), which scripts and service
 * managers rely on. In-process tests ({@link CheckCommandTest}) cannot see either.
 */
class PorterJarIT {
    /** Failsafe runs in proxy-server/. */
    private static final Path CORE_REFERENCE = Path.of("..", "proxy-core", "src", "main", "resources", "reference.conf");

    @TempDir
    Path dir;

    private static final String MINIMAL = """
            porter {
              listeners = [ { address = "127.0.0.1:0" } ]
              upstreams { app { servers = [ { address = "127.0.0.1:8080" } ] } }
              routes = [ { upstream = app } ]
            }
            """;

    @Test
    void theMergedReferenceConfInTheJarHoldsEveryDefaultOfProxyCore() throws IOException {
        Config core = ConfigFactory.parseFile(CORE_REFERENCE.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        Config shipped;
        try (JarFile jar = new JarFile(PorterJar.JAR.toFile());
             InputStream in = jar.getInputStream(jar.getEntry("reference.conf"))) {
            shipped = ConfigFactory.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        assertThat(core.entrySet()).as("proxy-core's defaults").hasSizeGreaterThan(40);
        for (Map.Entry<String, ConfigValue> e : core.entrySet()) {
            assertThat(shipped.hasPathOrNull(e.getKey())).as("porter.jar's reference.conf has " + e.getKey()).isTrue();
            assertThat(shipped.getValue(e.getKey()).unwrapped()).as(e.getKey()).isEqualTo(e.getValue().unwrapped());
        }
    }

    @Test
    void checkOfAMinimalFileUsesTheJarsDefaultsAndExitsZero() throws Exception {
        Path conf = Files.writeString(dir.resolve("porter.conf"), MINIMAL);

        PorterJar.Result r = PorterJar.exec(dir, "check", "--config", conf.toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output().trim()).isEqualTo("ok");
    }

    @Test
    void anInvalidConfigurationExitsOneNamingFileAndLine() throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "porter {\n  workers = many\n}\n");

        PorterJar.Result check = PorterJar.exec(dir, "check", "--config", conf.toString());
        PorterJar.Result run = PorterJar.exec(dir, "run", "--config", conf.toString());

        assertThat(check.exitCode()).as(check.output()).isEqualTo(1);
        assertThat(check.output()).contains("bad.conf: 2").contains("workers").doesNotContain("\tat ");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    }

    @Test
    void aWrongCommandLineExitsTwo() throws Exception {
        PorterJar.Result nothing = PorterJar.exec(dir);
        PorterJar.Result unknown = PorterJar.exec(dir, "check", "--frobnicate");

        assertThat(nothing.exitCode()).as(nothing.output()).isEqualTo(2);
        assertThat(nothing.output()).contains("Usage: porter");
        assertThat(unknown.exitCode()).as(unknown.output()).isEqualTo(2);
    }

    @Test
    void anAddressThatCannotBeBoundExitsThreeNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path conf = Files.writeString(dir.resolve("porter.conf"), MINIMAL.replace("127.0.0.1:0", "127.0.0.1:" + taken.getLocalPort())
                    .replace("routes", "admin.enabled = false\n  routes"));

            PorterJar.Result r = PorterJar.exec(dir, "run", "--config", conf.toString());

            assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
            assertThat(r.output()).contains("127.0.0.1:" + taken.getLocalPort()).doesNotContain("\tat ");
        }
    }
}
