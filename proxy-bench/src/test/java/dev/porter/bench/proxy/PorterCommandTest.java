package dev.porter.bench.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PorterCommandTest {
    @TempDir
    Path dir;

    private PorterCommand command(Path options, List<String> flags) throws IOException {
        Path launcher = Files.createDirectories(dir.resolve("repo/bin")).resolve("porter");
        Path jar = Files.createDirectories(dir.resolve("repo/proxy-server/target")).resolve("porter.jar");
        return new PorterCommand(launcher, jar, options, flags);
    }

    @Test
    void theLauncherIsToldTheJarTheOptionsFileAndTheExtraFlagsThroughItsEnvironment() throws IOException {
        Path options = dir.resolve("baseline.options");
        PorterCommand c = command(options, List.of("-Xlog:gc", "-XX:CompileThresholdScaling=0.5"));

        assertThat(c.run(Path.of("/tmp/p.conf")))
                .containsExactly(c.launcher().toString(), "run", "--config", "/tmp/p.conf");
        assertThat(c.environment())
                .containsEntry("JAVA_HOME", System.getProperty("java.home"))
                .containsEntry("PORTER_JAR", c.jar().toString())
                .containsEntry("PORTER_JVM_OPTIONS", options.toString())
                .containsEntry("PORTER_JAVA_OPTS", "-Xlog:gc -XX:CompileThresholdScaling=0.5");
        assertThat(c.optionsFile()).isEqualTo(options);
    }

    @Test
    void withoutAnOptionsFileTheLaunchersOwnConfJvmOptionsIsUsedAndAnInheritedPorterJavaOptsIsCleared()
            throws IOException {
        PorterCommand c = command(null, List.of());

        assertThat(c.environment()).doesNotContainKey("PORTER_JVM_OPTIONS").containsEntry("PORTER_JAVA_OPTS", "");
        assertThat(c.optionsFile()).isEqualTo(dir.resolve("repo/conf/jvm.options"));
    }

    @Test
    void theArchiveIsTheJarsNameWithJsaAndTheReportSaysWhetherItIsThere() throws IOException {
        Path options = Files.writeString(dir.resolve("jvm.options"), "# heap\r\n-Xms16m\n\n  -Dx=a b  \n");
        PorterCommand c = command(options, List.of("-Xlog:gc"));

        assertThat(c.archive()).isEqualTo(dir.resolve("repo/proxy-server/target/porter.jsa"));
        assertThat(c.describe()).contains(options + ": -Xms16m -Dx=a b").contains("CDS archive: none")
                .endsWith("PORTER_JAVA_OPTS: -Xlog:gc");
        Files.createFile(c.archive());
        assertThat(c.describe()).contains("CDS archive: " + c.archive());
    }

    @Test
    void optionsAreReadAsTheRepositorysLauncherReadsThem() throws Exception {
        Path options = Files.writeString(dir.resolve("jvm.options"),
                "# comment\r\n-Xms16m\r\n\r\n   -Dspaces=a b c  \r\n  #-Xmx1g\n-Dlast=x");
        Path home = Files.createDirectories(dir.resolve("echo-jdk/bin")).getParent();
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.createFile(dir.resolve("porter.jar"));
        Path out = dir.resolve("out.txt");
        // Surefire runs in proxy-bench/; the launcher is the repository's.
        ProcessBuilder pb = new ProcessBuilder(Path.of("..", "bin", "porter").toString(), "--version")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("JAVA_HOME", home.toString());
        pb.environment().put("PORTER_JAR", jar.toString());
        pb.environment().put("PORTER_JVM_OPTIONS", options.toString());
        pb.environment().put("PORTER_JAVA_OPTS", "");
        Process p = pb.start();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).isZero();
        assertThat(Files.readAllLines(out)).containsExactly("-Xms16m", "-Dspaces=a b c", "-Dlast=x", "-jar",
                jar.toString(), "--version");
        assertThat(PorterCommand.readOptions(options)).containsExactly("-Xms16m", "-Dspaces=a b c", "-Dlast=x");
    }
}
