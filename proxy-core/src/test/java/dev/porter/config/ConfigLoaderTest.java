package dev.porter.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    private static final String MINIMAL = String.join("\n",
            "porter {",
            "  workers = 1",
            "  listeners = [ { address = \"127.0.0.1:8000\" } ]",
            "  upstreams {",
            "    app {",
            "      servers = [ { address = \"127.0.0.1:8080\" } ]",
            "      keepalive = 16",
            "    }",
            "  }",
            "  routes = [ { path-prefix = \"/\", upstream = app } ]",
            "}");

    @Test
    void minimalFileFromTheIssueLoadsWithReferenceDefaults() {
        ProxyConfig c = ConfigLoader.parse(MINIMAL, "porter.conf");
        assertThat(c.workers()).isEqualTo(1);
        assertThat(c.listeners()).hasSize(1);
        assertThat(c.listeners().get(0).address().getPort()).isEqualTo(8000);
        assertThat(c.listeners().get(0).keepaliveTimeout()).isEqualTo(Duration.ofSeconds(75));
        UpstreamConfig app = c.upstreams().get("app");
        assertThat(app.keepalive()).isEqualTo(Keepalive.of(16));
        assertThat(app.keepaliveRequests()).isEqualTo(1000);
        assertThat(app.servers().get(0).weight()).isEqualTo(1);
        assertThat(app.servers().get(0).name()).isEqualTo("127.0.0.1:8080");
        assertThat(app.closeInitiator()).isEqualTo(CloseInitiator.PROXY);
        assertThat(c.routes().get(0).upstream()).isEqualTo("app");
        assertThat(c.admin().enabled()).isTrue();
    }

    @Test
    void clientLimitsDefaultToNoLimitAndNegativeOnesAreRefusedWithFileAndLine() {
        ListenerConfig l = ConfigLoader.parse(MINIMAL, "porter.conf").listeners().get(0);
        assertThat(l.maxConnections()).isZero();
        assertThat(l.maxConnectionsPerIp()).isZero();
        assertThat(l.ratePerIp()).isZero();
        assertThat(l.rateBurst()).isZero();
        String text = MINIMAL.replace("{ address = \"127.0.0.1:8000\" }",
                "{ address = \"127.0.0.1:8000\",\n rate-per-ip = 10, rate-burst = -1 }");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .hasMessageContaining("porter.conf: 4: porter.listeners[].rate-burst: must be between 0 and 1000000, was -1");
    }

    @Test
    void typoedKeyIsRefusedWithFileLineAndKey() {
        String text = MINIMAL.replace("keepalive = 16", "keepalive-timout = 5s");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("porter.conf: 7: porter.upstreams.app.keepalive-timout: unknown key")
                .hasMessageContaining("did you mean \"keepalive-timeout\"");
    }

    @Test
    void bareNumberDurationIsRefusedBecauseHoconWouldReadMilliseconds() {
        String text = MINIMAL.replace("keepalive = 16", "keepalive-timeout = 60");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .hasMessageContaining("porter.conf: 7: porter.upstreams.app.keepalive-timeout: a duration needs a unit");
    }

    @Test
    void outOfRangeValueNamesFileLineKeyAndValue() {
        String text = MINIMAL.replace("keepalive = 16", "keepalive = -1");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .hasMessageContaining("porter.conf: 7: porter.upstreams.app.keepalive: must be between 0 and 1000000, was -1");
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        String text = MINIMAL.replace("keepalive = 16", "keepalive = -1\n balance = random")
                .replace("upstream = app", "upstream = missing");
        InvalidConfigException e = (InvalidConfigException) org.junit.jupiter.api.Assertions.assertThrows(
                InvalidConfigException.class, () -> ConfigLoader.parse(text, "porter.conf"));
        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage()).contains("balance: must be one of round-robin, least-conn")
                .contains("no upstream named \"missing\"");
    }

    @Test
    void unknownListenerAndServerKeysAreRefusedToo() {
        String text = MINIMAL.replace("address = \"127.0.0.1:8000\"", "address = \"127.0.0.1:8000\", keepalive-timout = 5s")
                .replace("address = \"127.0.0.1:8080\"", "address = \"127.0.0.1:8080\", wieght = 2");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .hasMessageContaining("porter.conf: 3: porter.listeners[].keepalive-timout: unknown key")
                .hasMessageContaining("porter.conf: 6: porter.upstreams.app.servers[].wieght: unknown key");
    }

    @Test
    void badAddressIsRefused() {
        String text = MINIMAL.replace("127.0.0.1:8080", "127.0.0.1");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .hasMessageContaining("porter.conf: 6: porter.upstreams.app.servers[].address: must be host:port");
    }

    @Test
    void syntaxErrorNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "porter {\n  workers = 1\n  listeners = [ { \n}\n");
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessageContaining("broken.conf: 5");
    }

    @Test
    void includeAndEnvironmentSubstitutionWork(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("upstreams.conf"), "porter.upstreams.app.servers = [ { address = \"127.0.0.1:8080\" } ]\n");
        Path main = dir.resolve("porter.conf");
        Files.writeString(main, "include \"upstreams.conf\"\n"
                + "porter.listeners = [ { address = \"127.0.0.1:8000\" } ]\n"
                + "porter.routes = [ { upstream = app } ]\n"
                + "porter.upstreams.app.keepalive = 8\n"
                + "porter.upstreams.app.keepalive = ${?PORTER_TEST_SURELY_UNSET}\n"
                + "porter.workers = ${?PATH_SURELY_UNSET_TOO}\n");
        ProxyConfig c = ConfigLoader.load(main);
        assertThat(c.upstreams().get("app").keepalive()).isEqualTo(Keepalive.of(8));
        assertThat(c.upstreams().get("app").servers()).hasSize(1);
        assertThat(c.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void missingFileIsReported(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.conf"))).hasMessageContaining("nope.conf: no such file");
    }
    @Test
    void keepaliveIsAutoByDefaultAndTakesAutoOrANumber() {
        assertThat(ConfigLoader.parse(MINIMAL.replace("keepalive = 16", ""), "porter.conf").upstreams().get("app")
                .keepalive()).isEqualTo(Keepalive.AUTO);
        assertThat(ConfigLoader.parse(MINIMAL.replace("keepalive = 16", "keepalive = auto"), "porter.conf")
                .upstreams().get("app").keepalive().auto()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("keepalive = 16", "keepalive = lots"), "porter.conf"))
                .hasMessageContaining("porter.conf: 7").hasMessageContaining("must be auto or a number");
    }

    @Test
    void portBudgetGuardIsAPercentageAndSourceAddressesAreIpLiterals() {
        UpstreamConfig app = ConfigLoader.parse(MINIMAL.replace("keepalive = 16",
                "port-budget-guard = 70%, source-addresses = [ \"127.0.0.2\", \"::1\" ]"), "porter.conf").upstreams().get("app");
        assertThat(app.portBudgetGuard()).isEqualTo(70);
        assertThat(app.sourceAddresses()).hasSize(2);
        assertThat(ConfigLoader.parse(MINIMAL.replace("keepalive = 16", "port-budget-guard = off"), "porter.conf")
                .upstreams().get("app").portBudgetGuard()).isZero();
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("keepalive = 16", "port-budget-guard = 50"), "porter.conf"))
                .hasMessageContaining("must be a percentage");
        assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("keepalive = 16",
                "source-addresses = [ \"proxy.example\" ]"), "porter.conf"))
                .hasMessageContaining("must list IP addresses");
    }
}
