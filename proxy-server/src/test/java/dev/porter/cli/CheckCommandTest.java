package dev.porter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CheckCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int porter(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void validFilePrintsOkAndExitsZero() throws IOException {
        Path conf = write("porter.conf", """
                porter {
                  listeners = [ { address = "127.0.0.1:0" } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:8080" } ] } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                }
                """);

        assertThat(porter("check", "--config", conf.toString())).isEqualTo(0);
        assertThat(out.toString().trim()).isEqualTo("ok");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void typoedKeyAndBareNumberDurationAreBothReportedWithFileAndLine() throws IOException {
        Path conf = write("bad.conf", """
                porter {
                  listeners = [ { address = "127.0.0.1:0" } ]
                  upstreams { app {
                    servers = [ { address = "127.0.0.1:8080" } ]
                    keepalive-timout = 10s
                  } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                  shutdown-timeout = 30
                }
                """);

        assertThat(porter("check", "--config", conf.toString())).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        String[] lines = err.toString().split("\\R");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("bad.conf: 5").contains("keepalive-timout"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("bad.conf: 8").contains("shutdown-timeout"));
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void missingFileIsAnInvalidConfigNotACrash() {
        assertThat(porter("check", "--config", dir.resolve("nope.conf").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("nope.conf").doesNotContain("\tat ");
    }

    @Test
    void shippedConfigurationFilesAreValid() {
        // Surefire runs in proxy-server/, the operator files live in ../conf.
        assertThat(porter("check", "--config", "../conf/porter.conf")).as(err.toString()).isEqualTo(0);
        assertThat(porter("check", "--config", "../conf/tomcat-example.conf")).as(err.toString()).isEqualTo(0);
    }

    @Test
    void missingConfigOptionIsAUsageError() {
        assertThat(porter("check")).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(porter()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: porter");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(porter("run", "--config", "x.conf", "--frobnicate")).isEqualTo(2);
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(porter("--version")).isEqualTo(0);
        assertThat(out.toString()).startsWith("porter ").doesNotContain("${").doesNotContain("unknown");
    }

    @Test
    void runWithAnInvalidConfigExitsOneWithoutStarting() throws IOException {
        Path conf = write("bad.conf", "porter { listeners = [ { address = \"127.0.0.1:0\" } ], workers = many }\n");

        assertThat(porter("run", "--config", conf.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("bad.conf: 1").contains("workers").doesNotContain("\tat ");
    }
}
