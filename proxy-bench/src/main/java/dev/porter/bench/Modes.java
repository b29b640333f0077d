package dev.porter.bench;

import dev.porter.bench.scenario.ModeSpec;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Picks the named modes out of a scenario's list, in the order given. A name that is no mode but
 * the stem of modes run at several concurrencies ({@code defaults} for {@code defaults-c200},
 * {@code defaults-c600}, ...) picks all of them, in the scenario's order.
 */
final class Modes {
    private Modes() {
    }

    static List<ModeSpec> select(List<ModeSpec> all, List<String> names) {
        List<ModeSpec> chosen = new ArrayList<>();
        for (String n : names) {
            List<ModeSpec> matching = all.stream().filter(s -> s.name().equals(n)).toList();
            if (matching.isEmpty()) {
                Pattern group = Pattern.compile(Pattern.quote(n) + "-c\\d+");
                matching = all.stream().filter(s -> group.matcher(s.name()).matches()).toList();
            }
            if (matching.isEmpty()) {
                // an empty spec: new CommandLine(new Object()) fails on the unannotated object instead
                throw new CommandLine.ParameterException(new CommandLine(CommandLine.Model.CommandSpec.create()),
                        "unknown mode " + n + "; known: "
                        + all.stream().map(ModeSpec::name).toList());
            }
            chosen.addAll(matching);
        }
        return chosen;
    }
}
