package dev.porter.bench;

import dev.porter.bench.scenario.ModeSpec;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/** Picks the named modes out of a scenario's list, in the order given. */
final class Modes {
    private Modes() {
    }

    static List<ModeSpec> select(List<ModeSpec> all, List<String> names) {
        List<ModeSpec> chosen = new ArrayList<>();
        for (String n : names) {
            ModeSpec m = all.stream().filter(s -> s.name().equals(n)).findFirst().orElseThrow(() ->
                    new CommandLine.ParameterException(new CommandLine(new Object()), "unknown mode " + n + "; known: "
                            + all.stream().map(ModeSpec::name).toList()));
            chosen.add(m);
        }
        return chosen;
    }
}
