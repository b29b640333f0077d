package dev.porter.bench.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the bench starts Porter: through {@code bin/porter}, the launcher the README gives
 * operators, so that the bench measures Porter with the JVM options it ships
 * ({@code conf/jvm.options}) and its class-data sharing archive ({@code porter.jsa} next to the
 * jar, when the build made one). The launcher is told what to run through its environment.
 *
 * @param launcher   {@code bin/porter}
 * @param jar        porter.jar ({@code PORTER_JAR})
 * @param jvmOptions the options file ({@code PORTER_JVM_OPTIONS}), or null for the launcher's
 *                   {@code conf/jvm.options}
 * @param extraFlags JVM options appended to the file's ({@code PORTER_JAVA_OPTS}); may be empty
 */
public record PorterCommand(Path launcher, Path jar, Path jvmOptions, List<String> extraFlags) {
    public PorterCommand {
        extraFlags = List.copyOf(extraFlags);
    }

    /** {@code bin/porter run --config CONFIG}. */
    public List<String> run(Path config) {
        return List.of(launcher.toString(), "run", "--config", config.toString());
    }

    /**
     * The launcher's environment: the JVM running the bench runs Porter too ({@code JAVA_HOME}),
     * with this jar, options file and extra flags.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("PORTER_JAR", jar.toString());
        if (jvmOptions != null) {
            env.put("PORTER_JVM_OPTIONS", jvmOptions.toString());
        }
        env.put("PORTER_JAVA_OPTS", String.join(" ", extraFlags));
        return env;
    }

    /** The options file the launcher reads. */
    public Path optionsFile() {
        return jvmOptions != null ? jvmOptions : launcher.toAbsolutePath().getParent().resolveSibling("conf")
                .resolve("jvm.options");
    }

    /** The class-data sharing archive the launcher hands to the JVM when it exists. */
    public Path archive() {
        String name = jar.getFileName().toString();
        return jar.resolveSibling((name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name) + ".jsa");
    }

    /** The options in {@code file} as the launcher reads them: one a line, blank lines and # comments skipped. */
    public static List<String> readOptions(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String option = line.strip();
            if (!option.isEmpty() && !option.startsWith("#")) {
                options.add(option);
            }
        }
        return options;
    }

    /** One line for the report: launcher, options, archive, extra flags. */
    public String describe() {
        StringBuilder b = new StringBuilder(launcher.toString());
        Path file = optionsFile();
        try {
            b.append("; ").append(file).append(": ").append(String.join(" ", readOptions(file)));
        } catch (IOException e) {
            b.append("; ").append(file).append(": unreadable (").append(e.getMessage()).append(')');
        }
        b.append("; CDS archive: ").append(Files.isRegularFile(archive()) ? archive().toString() : "none");
        if (!extraFlags.isEmpty()) {
            b.append("; PORTER_JAVA_OPTS: ").append(String.join(" ", extraFlags));
        }
        return b.toString();
    }
}
