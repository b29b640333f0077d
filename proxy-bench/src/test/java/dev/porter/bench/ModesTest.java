package dev.porter.bench;

import dev.porter.bench.scenario.ModeSpec;
import dev.porter.bench.scenario.PortExhaustion;
import dev.porter.bench.scenario.RunOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code --modes} names pick a scenario's modes, and what port-exhaustion runs by default. */
class ModesTest {
    private static final List<ModeSpec> ALL = PortExhaustion.modes(new PortExhaustion.Plan(
            new RunOptions(Duration.ofSeconds(10), 64, 2, 0), List.of(200, 600, 2000), Duration.ofSeconds(60),
            "40000 40999"));

    private static List<String> names(List<String> selection) {
        return Modes.select(ALL, selection).stream().map(ModeSpec::name).toList();
    }

    @Test
    void aStemPicksTheModeAtEveryConcurrencyInTheScenariosOrder() {
        assertThat(names(List.of("defaults"))).containsExactly("defaults-c200", "defaults-c600", "defaults-c2000");
        assertThat(names(List.of("old-default", "pool-off")))
                .containsExactly("old-default-c200", "old-default-c600", "old-default-c2000", "pool-off");
    }

    @Test
    void anExactNamePicksOneModeInTheOrderGiven() {
        assertThat(names(List.of("defaults-c600", "pool-sized"))).containsExactly("defaults-c600", "pool-sized");
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> names(List.of("default")))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown mode default").hasMessageContaining("defaults-c2000");
        // a stem matches whole concurrency suffixes only
        assertThatThrownBy(() -> names(List.of("defaults-c"))).isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void portExhaustionRunsTheIncidentTheGuardAndBothDefaultsByDefault() {
        PortExhaustionCommand cmd = new PortExhaustionCommand();
        new CommandLine(cmd).parseArgs();

        assertThat(cmd.modes).isEqualTo(PortExhaustion.DEFAULT_MODES);
        assertThat(names(cmd.modes)).containsExactly("pool-off", "pool-too-small", "pool-sized",
                "pool-too-small-guarded", "old-default-c200", "old-default-c600", "old-default-c2000",
                "defaults-c200", "defaults-c600", "defaults-c2000");
        assertThat(cmd.exhaustion.defaultsConcurrency).containsExactly(200, 600, 2000);
        assertThat(cmd.exhaustion.defaultsDuration).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theNamespacedChildGetsTheSamePlan() {
        PortExhaustionCommand parent = new PortExhaustionCommand();
        new CommandLine(parent).parseArgs("--defaults-concurrency", "300,3000", "--defaults-duration", "90s",
                "--port-range", "50000 50499");
        NsModeCommand child = new NsModeCommand();
        List<String> args = new java.util.ArrayList<>(List.of("--mode", "defaults-c3000", "--parent-netns", "net:[1]",
                "--out", "/tmp/x.json"));
        args.addAll(parent.exhaustion.asArgs());
        new CommandLine(child).parseArgs(args.toArray(String[]::new));

        RunOptions run = new RunOptions(Duration.ofSeconds(10), 64, 2, 0);
        assertThat(child.exhaustion.plan(run)).isEqualTo(parent.exhaustion.plan(run));
        ModeSpec m = Modes.select(PortExhaustion.modes(child.exhaustion.plan(run)), List.of(child.mode)).get(0);
        assertThat(m.concurrency(run)).isEqualTo(3000);
        assertThat(m.duration(run)).isEqualTo(Duration.ofSeconds(90));
        // 500 ports: 3000 clients need six source addresses
        assertThat(m.sourceAddresses()).hasSize(6);
    }
}
