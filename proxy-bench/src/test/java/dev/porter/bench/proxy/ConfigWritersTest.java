package dev.porter.bench.proxy;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigWritersTest {
    private static final InetSocketAddress TOMCAT = new InetSocketAddress("127.0.0.1", 8080);

    @Test
    void nginxConfigMatchesPortersPoolAndKeepsEveryPathInTheTempDir() {
        String conf = NginxConfigWriter.write(new NginxSettings(4, new InetSocketAddress("127.0.0.1", 8001), TOMCAT, 16,
                Path.of("/tmp/bench-x")));

        assertThat(conf)
                .contains("worker_processes 4;")
                .contains("daemon off;")
                .contains("master_process on;")
                .contains("pid /tmp/bench-x/nginx.pid;")
                .contains("access_log off;")
                .contains("proxy_temp_path /tmp/bench-x/proxy;")
                .containsPattern("upstream app \\{\\s+server 127\\.0\\.0\\.1:8080;\\s+keepalive 16;")
                .contains("keepalive_timeout 15s;")
                .contains("listen 127.0.0.1:8001;")
                .contains("proxy_http_version 1.1;")
                .contains("proxy_set_header Connection \"\";");
        // nothing outside the temp dir: every absolute path starts with it
        assertThat(conf.lines().filter(l -> l.matches(".* /[a-z].*")))
                .allSatisfy(l -> assertThat(l).contains("/tmp/bench-x/"));
    }

    @Test
    void ipv6AddressesAreBracketed() {
        String conf = NginxConfigWriter.write(new NginxSettings(1, new InetSocketAddress("::1", 8001),
                new InetSocketAddress("::1", 8080), 1, Path.of("/tmp/d")));

        assertThat(conf).contains("server [0:0:0:0:0:0:0:1]:8080;").contains("listen [0:0:0:0:0:0:0:1]:8001;");
    }

    @Test
    void porterConfigIsAcceptedByPortersOwnLoader() {
        String hocon = PorterConfigWriter.write(new PorterSettings(2, new InetSocketAddress("127.0.0.1", 0), TOMCAT,
                new InetSocketAddress("127.0.0.1", 9901), 0, 90, "1.0", "upstream"));

        ProxyConfig config = ConfigLoader.parse(hocon, "bench");

        assertThat(config.workers()).isEqualTo(2);
        assertThat(config.upstreams()).containsKey("app");
        assertThat(config.upstreams().get("app").keepalive().fixed()).isZero();
        assertThat(config.upstreams().get("app").keepaliveRequests()).isEqualTo(90);
    }

    @Test
    void adminStatusSumsOpenedAndConnectErrorsOverEveryServer() throws Exception {
        // the shape of proxy-server's StatusView (trimmed)
        AdminStatus s = AdminStatus.parse("""
                {"workers":2,"clients":{"totals":{"requests":7}},
                 "upstreams":{"app":{"servers":{
                   "127.0.0.1:8080":{"totals":{"opened":10,"closedBy":{"proxy":3},"closedReason":{"pool-full":3},
                                     "connectErrors":{"EADDRNOTAVAIL":3}},"workers":[]},
                   "127.0.0.1:8081":{"totals":{"opened":5,"connectErrors":{"EADDRNOTAVAIL":1,"ECONNREFUSED":2}}}}}}}
                """);

        assertThat(s.opened()).isEqualTo(15);
        assertThat(s.connectErrors()).containsEntry("EADDRNOTAVAIL", 4L).containsEntry("ECONNREFUSED", 2L);
        assertThat(s.connectErrors("EADDRNOTAVAIL")).isEqualTo(4L);
        assertThat(s.connectErrors("ETIMEDOUT")).isZero();
    }

    @Test
    void adminStatusWithoutTheFieldsIsUnknown() throws Exception {
        assertThat(AdminStatus.parse("{\"uptime\": 3}")).isEqualTo(AdminStatus.UNKNOWN);
    }

    @Test
    void procStatTicksAreUtimePlusStimeEvenWithSpacesInTheName() {
        String stat = "1234 (java main) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 100 0 0";

        assertThat(ProcessCpu.parseTicks(stat)).isEqualTo(325);
    }
}
