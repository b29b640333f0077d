package dev.porter.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a Porter started the way the README says ({@code bin/porter run}: the shipped
 * {@code conf/jvm.options}, porter.jar and its class-data sharing archive of this build) loads
 * before anyone needs it. Every class is resident memory for the life of the process, so the
 * libraries only some configurations or requests use wait for them: TLS (JSSE, OpenSSL's
 * native library) for a TLS listener or upstream, {@code /status}'s JSON for the first
 * {@code /status} (and no Jackson at all), Micrometer's Prometheus registry and the JVM's
 * management beans for the first {@code /metrics}, JFR's event machinery never (Netty's allocator events
 * are off in jvm.options), logback's XML configurator for an operator's own logging file, and
 * the JDK's SecureRandom never (Netty's native libraries load from beside porter.jar, not from a
 * temporary copy with a random name). Read from the JVM's own record of the classes it loads
 * ({@code -Xlog:class+load}).
 */
class LazyStartIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "porter").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile(
            "listening on 127\\.0\\.0\\.1:(\\d+) .*admin on http://127\\.0\\.0\\.1:(\\d+)/status");
    /** Names (or the start of names) of classes that a plain idle Porter must not load. */
    private static final List<String> NOT_AT_AN_IDLE_START = List.of(
            // TLS: the JDK's, netty-tcnative's, and Netty's OpenSSL probe that loads the latter
            "sun.security.ssl.", "io.netty.internal.tcnative.", "io.netty.handler.ssl.OpenSsl ",
            // the admin's JSON, and its meters (made on the first scrape)
            "com.fasterxml.jackson.", "dev.porter.admin.StatusJson ",
            "io.micrometer.prometheusmetrics.", "io.prometheus.", "io.micrometer.core.instrument.binder.",
            "java.lang.management.ManagementFactory ",
            // JFR's event registration, for Netty's allocator events
            "io.netty.buffer.AllocateChunkEvent ", "jdk.jfr.internal.MetadataRepository ", "jdk.jfr.internal.handlers.",
            // logback's XML configuration (Joran) and the JDK's XML parser under it
            "ch.qos.logback.classic.joran.JoranConfigurator ", "ch.qos.logback.core.model.",
            "javax.xml.parsers.", "com.sun.org.apache.xerces.",
            // the temporary file Netty copies a native library to when it is not on java.library.path
            "java.security.SecureRandom ", "sun.security.provider.");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A Porter without TLS, started by bin/porter with {@code javaOpts}; returns its log and admin port. */
    private Started start(String javaOpts) throws IOException {
        Path config = Files.writeString(dir.resolve("porter.conf"), """
                porter {
                  workers = 1
                  listeners = [ { address = "127.0.0.1:0" } ]
                  upstreams { app { servers = [ { address = "127.0.0.1:9" } ] } }
                  routes = [ { path-prefix = "/", upstream = app } ]
                  admin.address = "127.0.0.1:0"
                }
                """);
        Path log = dir.resolve("porter.log");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeAll(List.of("PORTER_JVM_OPTIONS", "PORTER_JAR"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("PORTER_JAVA_OPTS", javaOpts);
        Process p = pb.start();
        started.add(p);
        Matcher[] found = new Matcher[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(p.isAlive()).as("porter is running; its log:\n%s", Files.readString(log)).isTrue();
            found[0] = LISTENING.matcher(Files.readString(log));
            return found[0].find();
        });
        return new Started(log, Integer.parseInt(found[0].group(2)));
    }

    private record Started(Path log, int adminPort) {
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> loaded(Path classLog) throws IOException {
        // "[0.123s][info][class,load] java.lang.Object source: shared objects file": the name and a blank
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
            int at = line.indexOf("] ");
            int end = line.indexOf(' ', at + 2);
            if (line.contains("[class,load]") && at > 0 && end > at) {
                names.add(line.substring(at + 2, end + 1));
            }
        }
        return names;
    }

    @Test
    void anIdleStartWithoutTlsLoadsNoTlsNoJsonNoMetersNoJfrEventsNoXmlAndTheFirstStatusNoJackson() throws Exception {
        Path classLog = dir.resolve("classes.log");
        Started porter = start("-Xlog:class+load=info:file=" + classLog);

        List<String> idle = loaded(classLog);
        assertThat(idle).as("classes loaded").hasSizeGreaterThan(1000).contains("dev.porter.Porter ");
        assertThat(idle.stream().filter(name -> NOT_AT_AN_IDLE_START.stream().anyMatch(name::startsWith)))
                .as("classes loaded at an idle start that only TLS, a /status, a /metrics, JFR recording or XML need")
                .isEmpty();
        // Nothing about TLS on the start line when nothing speaks it.
        assertThat(Files.readString(porter.log())).containsPattern("\\(1 workers, (io_uring|epoll|nio)\\); admin on").doesNotContain("TLS");

        HttpResponse<String> metrics = get(porter.adminPort(), "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("porter_client_requests_total{worker=\"0\"} 0.0").contains("jvm_memory_used_bytes");
        assertThat(loaded(classLog)).contains("io.micrometer.prometheusmetrics.PrometheusMeterRegistry ");

        HttpResponse<String> status = get(porter.adminPort(), "/status");

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(status.body()).startsWith("{\n  \"version\" : ").contains("\"workers\" : 1");
        List<String> afterStatus = loaded(classLog);
        assertThat(afterStatus).contains("dev.porter.admin.StatusJson ");
        assertThat(afterStatus.stream().filter(name -> name.startsWith("com.fasterxml."))).as("Jackson's classes").isEmpty();
    }

    @Test
    void theNativeTransportLoadsWhereNettyCouldNotCopyItsLibraryToATemporaryFile() throws Exception {
        // A directory nobody can create a file in, as a /tmp mounted noexec is one nobody can map a library from.
        Started porter = start("-Dio.netty.native.workdir=/proc");

        assertThat(Files.readString(porter.log())).containsPattern("\\(1 workers, (io_uring|epoll)\\)");
    }

    @Test
    void porterLogsWithItsOwnPatternWithoutAConfigurationFile() throws Exception {
        Started porter = start("");

        // LoggingConfigurator's pattern: ISO time with offset, level, thread, abbreviated logger.
        assertThat(Files.readString(porter.log())).containsPattern(
                "(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[main] "
                        + "d\\.p\\.cli\\.ProxyProcess - porter \\S+ listening on 127\\.0\\.0\\.1:");
    }

    @Test
    void aLogbackConfigurationFileGivenWithTheSystemPropertyWins() throws Exception {
        Path logback = Files.writeString(dir.resolve("operator-logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>operator-format %level %logger: %msg%n</pattern></encoder>
                  </appender>
                  <logger name="dev.porter" level="DEBUG"/>
                  <root level="WARN"><appender-ref ref="OUT"/></root>
                </configuration>
                """);

        Started porter = start("-Dlogback.configurationFile=" + logback);

        String log = Files.readString(porter.log());
        assertThat(log).containsPattern("(?m)^operator-format INFO dev\\.porter\\.cli\\.ProxyProcess: porter \\S+ listening on ");
        // The file's levels too: DEBUG for dev.porter, which Porter's own configuration keeps at INFO.
        assertThat(log).containsPattern("(?m)^operator-format DEBUG dev\\.porter\\.");
    }
}
