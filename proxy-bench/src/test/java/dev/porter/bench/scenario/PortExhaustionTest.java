package dev.porter.bench.scenario;

import dev.porter.bench.proxy.PorterConfigWriter;
import dev.porter.bench.proxy.PorterSettings;
import dev.porter.config.ConfigLoader;
import dev.porter.config.UpstreamConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The port-exhaustion plan: which modes exist, what each runs, and the Porter config each writes. */
class PortExhaustionTest {
    private static final RunOptions RUN = new RunOptions(Duration.ofSeconds(10), 64, 2, 0);
    private static final PortExhaustion.Plan PLAN = new PortExhaustion.Plan(RUN, List.of(200, 600, 2000),
            Duration.ofSeconds(60), "40000 40999");
    private static final InetSocketAddress TOMCAT = new InetSocketAddress("127.0.0.1", PortExhaustion.BACKEND_PORT);

    private static Map<String, ModeSpec> modes() {
        return PortExhaustion.modes(PLAN).stream().collect(Collectors.toMap(ModeSpec::name, Function.identity()));
    }

    private static UpstreamConfig app(String hocon) {
        return ConfigLoader.parse(hocon, "bench").upstreams().get("app");
    }

    private static String porterConfig(ModeSpec m) {
        return PorterConfigWriter.write(ModeRunner.settings(m, 2, "127.0.0.1", PortExhaustion.LISTEN_PORT, TOMCAT,
                PortExhaustion.ADMIN_PORT));
    }

    @Test
    void theDefaultsModesRunAtEachConcurrencyForTheLongDuration() {
        Map<String, ModeSpec> m = modes();

        assertThat(m).containsKeys("pool-off", "pool-too-small", "pool-sized", "pool-too-small-guarded",
                "old-default-c200", "old-default-c600", "old-default-c2000",
                "defaults-c200", "defaults-c600", "defaults-c2000", "direct-client-closes");
        for (int n : new int[] {200, 600, 2000}) {
            assertThat(m.get("defaults-c" + n).concurrency(RUN)).isEqualTo(n);
            assertThat(m.get("defaults-c" + n).duration(RUN)).isEqualTo(Duration.ofSeconds(60));
            assertThat(m.get("old-default-c" + n).concurrency(RUN)).isEqualTo(n);
            assertThat(m.get("old-default-c" + n).duration(RUN)).isEqualTo(Duration.ofSeconds(60));
        }
        assertThat(m.get("pool-off").concurrency(RUN)).isEqualTo(64);
        assertThat(m.get("pool-off").duration(RUN)).isEqualTo(Duration.ofSeconds(10));
        assertThat(m.get("pool-too-small-guarded").duration(RUN)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theDefaultsModeWritesNoPoolKeySoTheShippedDefaultsApply() {
        String conf = porterConfig(modes().get("defaults-c200"));

        assertThat(conf).doesNotContain("keepalive").doesNotContain("port-budget-guard")
                .doesNotContain("close-initiator").doesNotContain("http-version").doesNotContain("source-addresses");
        UpstreamConfig app = app(conf);
        assertThat(app.keepalive().auto()).isTrue();
        assertThat(app.portBudgetGuard()).isEqualTo(50);
        assertThat(app.sourceAddresses()).isEmpty();
    }

    @Test
    void the2000ClientRunGetsTwoSourceAddressesAHeldBackendAndClientsOverFourAddresses() throws Exception {
        ModeSpec m = modes().get("defaults-c2000");
        String conf = porterConfig(m);

        assertThat(conf).doesNotContain("keepalive")
                .contains("source-addresses = [ \"127.0.0.2\", \"127.0.0.3\" ]")
                .contains("address = \"0.0.0.0:" + PortExhaustion.LISTEN_PORT + "\"");
        assertThat(app(conf).sourceAddresses())
                .containsExactly(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
        assertThat(m.backendDelay()).isPositive();
        // 500 clients per listener address: half of each address's 1,000 ports
        assertThat(m.clientAddresses()).isEqualTo(4);
        assertThat(ModeRunner.clientTargets(new InetSocketAddress("0.0.0.0", 18000), m.clientAddresses()))
                .extracting(InetSocketAddress::getHostString)
                .containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");
        assertThat(m.describe()).contains("no pool keys").contains("127.0.0.2, 127.0.0.3").contains("holds");
    }

    @Test
    void runsThatFitOnePortRangeGetNoSourceAddressesAndAnImmediateBackend() {
        for (String name : List.of("defaults-c200", "defaults-c600", "old-default-c600", "pool-off")) {
            ModeSpec m = modes().get(name);
            assertThat(m.sourceAddresses()).as(name).isEmpty();
            assertThat(m.backendDelay()).as(name).isZero();
        }
        assertThat(modes().get("defaults-c200").clientAddresses()).isEqualTo(1);
        assertThat(modes().get("defaults-c600").clientAddresses()).isEqualTo(2);
        assertThat(porterConfig(modes().get("defaults-c200"))).contains("address = \"127.0.0.1:18000\"");
    }

    @Test
    void theIncidentModesReproduceItWithTheGuardOff() {
        Map<String, ModeSpec> m = modes();

        for (String name : List.of("pool-off", "pool-too-small", "pool-sized", "old-default-c200")) {
            String conf = porterConfig(m.get(name));
            assertThat(conf).as(name).contains("port-budget-guard = off");
            assertThat(app(conf).portBudgetGuard()).as(name).isZero();
        }
        assertThat(app(porterConfig(m.get("pool-off"))).keepalive().fixed()).isZero();
        assertThat(app(porterConfig(m.get("old-default-c600"))).keepalive().fixed()).isEqualTo(32);
        assertThat(app(porterConfig(m.get("pool-sized"))).keepalive().fixed()).isEqualTo(32);
    }

    @Test
    void theGuardedModeDiffersFromPoolTooSmallOnlyByTheShippedGuard() {
        ModeSpec small = modes().get("pool-too-small");
        ModeSpec guarded = modes().get("pool-too-small-guarded");

        assertThat(guarded.pool()).isEqualTo(small.pool().withPortBudgetGuard(null));
        assertThat(guarded.concurrency(RUN)).isEqualTo(small.concurrency(RUN));
        String conf = porterConfig(guarded);
        assertThat(conf).contains("keepalive = 4").doesNotContain("port-budget-guard");
        assertThat(app(conf).portBudgetGuard()).isEqualTo(50);
    }

    @Test
    void sourceAddressesFollowTheClientsPastOnePortRange() {
        assertThat(PortExhaustion.sourceAddresses(1000, 1000)).isEmpty();
        assertThat(PortExhaustion.sourceAddresses(1001, 1000)).containsExactly("127.0.0.2", "127.0.0.3");
        assertThat(PortExhaustion.sourceAddresses(3000, 1000)).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
    }

    @Test
    void aPortRangeIsTwoPortsInOrder() {
        assertThat(PortExhaustion.rangeSize("40000 40999")).isEqualTo(1000);
        assertThat(PortExhaustion.rangeSize(" 32768\t60999 ")).isEqualTo(28232);
        assertThatThrownBy(() -> PortExhaustion.rangeSize("40999 40000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortExhaustion.rangeSize("40000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShippedPoolSettingsWritesOnlyTheSourceAddresses() {
        String conf = PorterConfigWriter.write(PorterSettings.shippedPool(1, new InetSocketAddress("127.0.0.1", 0),
                TOMCAT, null, List.of("127.0.0.2")));

        assertThat(conf).doesNotContain("keepalive").contains("source-addresses = [ \"127.0.0.2\" ]");
        assertThat(app(conf).keepalive().auto()).isTrue();
    }
}
