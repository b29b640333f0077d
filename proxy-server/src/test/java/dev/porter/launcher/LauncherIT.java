package dev.porter.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/porter}, the launcher the README gives operators, run as a process the way they run
 * it, against the porter.jar, porter.jsa and conf/jvm.options of this build (failsafe runs after
 * {@code package}). Two kinds of runs: with the real JVM ({@code --version}, {@code check}, the
 * shipped options, the class-data sharing archive), and with a stand-in {@code java} that prints
 * its arguments, to pin down exactly the command line the launcher builds.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "porter").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "porter.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "porter.jsa").toAbsolutePath();
    private static final Path NATIVE_LIBRARIES = Path.of("target", "native").toAbsolutePath();
    private static final Path SHIPPED_OPTIONS = Path.of("..", "conf", "jvm.options").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** What a finished launcher run printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    private Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeAll(List.of("PORTER_JAVA_OPTS", "PORTER_JVM_OPTIONS", "PORTER_JAR"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("bin/porter " + String.join(" ", args) + " still running after 2 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Path config(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void versionRunsPorterJarWithTheShippedOptions() throws Exception {
        Run run = launch(Map.of(), "--version");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("porter ").contains("Java 17").doesNotContain("warning");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checkPassesArgumentsThroughAndReturnsPortersExitCodes() throws Exception {
        Path good = config("good porter.conf", """
                porter {
                  listeners = [ { address = "127.0.0.1:0" } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:8080" } ] } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                }
                """);
        Path bad = config("bad.conf", """
                porter {
                  listeners = [ { address = "127.0.0.1:0" } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:8080" } ], keepalive-timout = 10s } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                }
                """);

        Run ok = launch(Map.of(), "check", "--config", good.toString());
        Run invalid = launch(Map.of(), "check", "--config", bad.toString());
        Run usage = launch(Map.of(), "check", "--no-such-option");

        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out().strip()).isEqualTo("ok");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("bad.conf: 3").contains("keepalive-timout");
        assertThat(usage.exit()).isEqualTo(2);
    }

    @Test
    void theShippedConfigurationPassesCheckThroughTheLauncher() throws Exception {
        Run run = launch(Map.of(), "check", "--config", Path.of("..", "conf", "porter.conf").toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).isEqualTo("ok");
    }

    @Test
    void theBuildsClassDataSharingArchiveIsAcceptedByTheJvm() throws Exception {
        // Written by CdsTraining in this build's package phase (absent only with -Dexec.skip).
        assertThat(ARCHIVE).isRegularFile();

        // -Xshare:on turns "archive unusable, carry on without it" into a failed start.
        Run run = launch(Map.of("PORTER_JAVA_OPTS", "-Xshare:on -Xlog:cds=info"), "--version");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Opened archive " + ARCHIVE).contains("Mapped static")
                .contains("porter ");
    }

    @Test
    void optionsComeFromTheFileThenFromPorterJavaOptsAndEachLineStaysOneOption() throws Exception {
        Path options = Files.writeString(dir.resolve("jvm.options"),
                "# a comment\r\n-Dprobe.spaces=a b c\r\n\r\n   -Dprobe.order=file   \n  # -Dprobe.comment=yes\n-Dprobe.last=x");

        Run run = launch(Map.of("PORTER_JVM_OPTIONS", options.toString(),
                "PORTER_JAVA_OPTS", "-Dprobe.order=env -XshowSettings:properties"), "--version");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("probe.spaces = a b c").contains("probe.order = env")
                .contains("probe.last = x").doesNotContain("probe.comment");
    }

    @Test
    void theCommandLineIsArchiveNativeLibrariesOptionsFileOptionsEnvironmentOptionsJarArguments() throws Exception {
        Path options = Files.writeString(dir.resolve("jvm.options"), "-Xms16m\n  -Dprobe=a b  \n# -Xmx1g\n");

        Run run = launch(Map.of("JAVA_HOME", echoJava().toString(), "PORTER_JVM_OPTIONS", options.toString(),
                "PORTER_JAVA_OPTS", "-Xmx1g -Dglob=*"), "run", "--config", "/etc/porter/a b.conf", "*");

        assertThat(run.exit()).as(run.err()).isZero();
        List<String> expected = new ArrayList<>();
        if (Files.isRegularFile(ARCHIVE)) {
            expected.addAll(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        assertThat(NATIVE_LIBRARIES.resolve("libnetty_transport_native_io_uring42_x86_64.so"))
                .as("the build unpacks Netty's native libraries next to porter.jar").isRegularFile();
        expected.add("-Djava.library.path=" + NATIVE_LIBRARIES);
        expected.addAll(List.of("-Xms16m", "-Dprobe=a b", "-Xmx1g", "-Dglob=*", "-jar", JAR.toString(),
                "run", "--config", "/etc/porter/a b.conf", "*"));
        assertThat(run.out().lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void withoutAnArchiveOrNativeLibrariesNextToTheJarNeitherIsPassed() throws Exception {
        Path jar = Files.createFile(dir.resolve("porter.jar"));

        Run run = launch(Map.of("JAVA_HOME", echoJava().toString(), "PORTER_JAR", jar.toString()), "--version");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("SharedArchiveFile").doesNotContain("-Xlog:cds")
                .doesNotContain("java.library.path").contains(jar.toString());
    }

    @Test
    void theShippedOptionsAreWhatTheJvmGets() throws Exception {
        List<String> shipped = new ArrayList<>();
        for (String line : Files.readAllLines(SHIPPED_OPTIONS)) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                shipped.add(line.strip());
            }
        }

        Run run = launch(Map.of("JAVA_HOME", echoJava().toString()), "--version");

        assertThat(shipped).isNotEmpty();
        assertThat(run.out().lines()).containsSubsequence(shipped);
    }

    @Test
    void aMissingJavaJarOrOptionsFileIsCannotStartWithTheReason() throws Exception {
        Run noJava = launch(Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()), "--version");
        Run noJar = launch(Map.of("PORTER_JAR", dir.resolve("no.jar").toString()), "--version");
        Run noOptions = launch(Map.of("PORTER_JVM_OPTIONS", dir.resolve("no.options").toString()), "--version");

        assertThat(noJava.exit()).isEqualTo(3);
        assertThat(noJava.err()).contains("JAVA_HOME").contains("no-jdk");
        assertThat(noJar.exit()).isEqualTo(3);
        assertThat(noJar.err()).contains("no.jar");
        assertThat(noOptions.exit()).isEqualTo(3);
        assertThat(noOptions.err()).contains("no.options");
    }

    @Test
    void aSymbolicLinkToTheLauncherFindsTheRepository() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("porter"), LAUNCHER);
        Path out = dir.resolve("link.out");
        ProcessBuilder pb = new ProcessBuilder(link.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("JAVA_HOME", echoJava().toString());
        pb.environment().keySet().removeAll(List.of("PORTER_JAVA_OPTS", "PORTER_JVM_OPTIONS", "PORTER_JAR"));
        Process p = pb.start();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).isZero();
        assertThat(Files.readAllLines(out)).contains(JAR.toString());
    }

    /** A JAVA_HOME whose bin/java prints each argument on a line of its own. */
    private Path echoJava() throws IOException {
        Path home = dir.resolve("echo-jdk");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path java = bin.resolve("java");
        if (!Files.exists(java)) {
            Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }
}
