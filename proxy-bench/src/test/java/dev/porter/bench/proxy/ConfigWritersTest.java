package dev.porter.bench.proxy;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigWritersTest {
    private static final InetSocketAddress TOMCAT = new InetSocketAddress("127.0.0.1", 8080);
    private static final InetSocketAddress LISTEN = new InetSocketAddress("127.0.0.1", 8001);
    private static final BenchCertificate CERT = BenchCertificate.of(Path.of("/tmp/tls/cert.pem"),
            Path.of("/tmp/tls/key.pem"), Path.of("/tmp/tls/both.pem"), "test");

    @Test
    void nginxConfigMatchesPortersPoolAndKeepsEveryPathInTheTempDir() {
        String conf = NginxConfigWriter.write(new NginxSettings(4, LISTEN, TOMCAT, 16, Path.of("/tmp/bench-x")));

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
    void nginxSendsTheForwardedHeadersPorterAddsAndTheClientsHost() {
        String conf = NginxConfigWriter.write(new NginxSettings(1, LISTEN, TOMCAT, 16, Path.of("/tmp/d")));

        assertThat(conf)
                .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;")
                .contains("proxy_set_header X-Real-IP $remote_addr;")
                .contains("proxy_set_header X-Forwarded-Proto $scheme;")
                .contains("proxy_set_header X-Forwarded-Host $http_host;")
                .contains("proxy_set_header Host $http_host;")
                // as many clients as the descriptor limit allows
                .containsPattern("worker_connections [0-9]+;")
                .containsPattern("worker_rlimit_nofile [0-9]+;");
    }

    @Test
    void theNginxOriginAnswersSixBytesWithoutARequestLimit() {
        String conf = NginxConfigWriter.writeOrigin(Path.of("/tmp/o"), TOMCAT);

        assertThat(conf)
                .contains("worker_processes 1;")
                .contains("return 200 \"hello\\n\";")
                .contains("listen 127.0.0.1:8080 backlog=4096;")
                .contains("keepalive_requests 100000000;")
                .doesNotContain("proxy_pass");
        assertThat(conf.lines().filter(l -> l.matches(".* /[a-z].*")))
                .allSatisfy(l -> assertThat(l).contains("/tmp/o/"));
    }

    @Test
    void ipv6AddressesAreBracketed() {
        String conf = NginxConfigWriter.write(new NginxSettings(1, new InetSocketAddress("::1", 8001),
                new InetSocketAddress("::1", 8080), 1, Path.of("/tmp/d")));

        assertThat(conf).contains("server [0:0:0:0:0:0:0:1]:8080;").contains("listen [0:0:0:0:0:0:0:1]:8001;");
    }

    @Test
    void haproxyGetsPortersThreadsPoolAndForwardedHeaders() {
        String cfg = HaproxyConfigWriter.write(new HaproxySettings(2, LISTEN, TOMCAT, 200, "always", Path.of("/tmp/h")));

        assertThat(cfg)
                .contains("nbthread 2")
                .contains("bind 127.0.0.1:8001")
                .contains("http-reuse always")
                // pool-max-conn is per server: Porter's per-worker keepalive times the threads
                .contains("server app 127.0.0.1:8080 pool-max-conn 400 pool-purge-delay 15s max-reuse 1000")
                .contains("option forwardfor")
                .contains("http-request set-header X-Real-IP %[src]")
                .contains("http-request set-header X-Forwarded-Proto http")
                .contains("http-request set-header X-Forwarded-Host %[req.hdr(host)] if { req.hdr(host) -m found }")
                .contains("timeout http-keep-alive 75s")
                .doesNotContain("log ")
                .doesNotContain("daemon");
    }

    @Test
    void haproxyRefusesAReuseModeItDoesNotHave() {
        assertThatThrownBy(() -> new HaproxySettings(1, LISTEN, TOMCAT, 1, "sometimes", Path.of("/tmp/h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sometimes");
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
    void nginxWithTheCertificateListensWithTlsAsPorterDoes() {
        String conf = NginxConfigWriter.write(new NginxSettings(1, LISTEN, TOMCAT, 16, Path.of("/tmp/d"), CERT));

        assertThat(conf)
                .contains("listen 127.0.0.1:8001 ssl;")
                .contains("ssl_certificate /tmp/tls/cert.pem;")
                .contains("ssl_certificate_key /tmp/tls/key.pem;")
                .contains("ssl_protocols TLSv1.2 TLSv1.3;")
                // Porter's default suites, in its order, for both protocol versions
                .contains("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:")
                .contains("ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
                        + "TLS_CHACHA20_POLY1305_SHA256;")
                .contains("ssl_session_cache shared:porter_bench:10m;")
                .contains("ssl_session_timeout 300s;")
                // $scheme: https, as Porter's X-Forwarded-Proto on a TLS listener
                .contains("proxy_set_header X-Forwarded-Proto $scheme;");
        // the TLS lines sit inside the server block, before its location
        assertThat(conf.indexOf("ssl_certificate ")).isBetween(conf.indexOf("server {"), conf.indexOf("location /"));
    }

    @Test
    void nginxWithoutACertificateHasNoTlsLine() {
        assertThat(NginxConfigWriter.write(new NginxSettings(1, LISTEN, TOMCAT, 16, Path.of("/tmp/d"))))
                .contains("listen 127.0.0.1:8001;")
                .doesNotContain("ssl");
    }

    @Test
    void haproxyWithTheCertificateBindsWithTlsAndSaysHttps() {
        String cfg = HaproxyConfigWriter.write(new HaproxySettings(2, LISTEN, TOMCAT, 200, "always", Path.of("/tmp/h"),
                CERT));

        assertThat(cfg)
                .contains("bind 127.0.0.1:8001 ssl crt /tmp/tls/both.pem ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3 "
                        + "ciphers ECDHE-ECDSA-AES128-GCM-SHA256:")
                .contains(" ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256 "
                        + "prefer-client-ciphers alpn http/1.1\n")
                .contains("http-request set-header X-Forwarded-Proto https")
                .doesNotContain("X-Forwarded-Proto http\n");
        assertThat(HaproxyConfigWriter.write(new HaproxySettings(2, LISTEN, TOMCAT, 200, "always", Path.of("/tmp/h"))))
                .contains("bind 127.0.0.1:8001\n")
                .doesNotContain("ssl");
    }

    @Test
    void porterWithTheCertificateGetsATlsBlockOnItsListener() {
        String hocon = PorterConfigWriter.write(new PorterSettings(1, LISTEN, TOMCAT, null, 4, 1000, "1.1", "proxy")
                .withTls(CERT));

        assertThat(hocon).contains("listeners = [ { address = \"127.0.0.1:8001\", tls { certificate = "
                + "\"/tmp/tls/cert.pem\", key = \"/tmp/tls/key.pem\" } } ]");
    }

    @Test
    void bothKeyTypesAreGivenToEachProxyInTheSameOrderEcdsaFirst() {
        BenchCertificate both = new BenchCertificate(List.of(
                new BenchCertificate.KeyFiles(Path.of("/t/ec.pem"), Path.of("/t/ec.key"), Path.of("/t/ec-both.pem")),
                new BenchCertificate.KeyFiles(Path.of("/t/rsa.pem"), Path.of("/t/rsa.key"), Path.of("/t/rsa-both.pem"))),
                "test");

        assertThat(PorterConfigWriter.write(new PorterSettings(1, LISTEN, TOMCAT, null, 4, 1000, "1.1", "proxy").withTls(both)))
                .contains("tls { certificate = [ \"/t/ec.pem\", \"/t/rsa.pem\" ], key = [ \"/t/ec.key\", \"/t/rsa.key\" ] }");
        String nginx = NginxConfigWriter.write(new NginxSettings(1, LISTEN, TOMCAT, 16, Path.of("/tmp/d"), both));
        assertThat(nginx).contains("ssl_certificate /t/ec.pem;\n        ssl_certificate_key /t/ec.key;\n"
                + "        ssl_certificate /t/rsa.pem;\n        ssl_certificate_key /t/rsa.key;\n");
        assertThat(HaproxyConfigWriter.write(new HaproxySettings(2, LISTEN, TOMCAT, 200, "always", Path.of("/tmp/h"), both)))
                .contains("bind 127.0.0.1:8001 ssl crt /t/ec-both.pem crt /t/rsa-both.pem ssl-min-ver");
    }

    @Test
    void inProcessPorterRefusesTlsRatherThanServePlainHttp() {
        PorterSettings tls = new PorterSettings(1, LISTEN, TOMCAT, null, 4, 1000, "1.1", "proxy").withTls(CERT);

        assertThatThrownBy(() -> InProcessPorter.config(tls)).hasMessageContaining("TLS");
    }

    @Test
    void adminStatusSumsOpenedAndConnectErrorsOverEveryServer() throws Exception {
        // the shape of proxy-core's StatusView (trimmed)
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
    void thePortGuardIsReadFromEveryServerOfStatus() throws Exception {
        // the shape of proxy-server's StatusView.PortGuard (trimmed)
        AdminStatus.PortGuard g = AdminStatus.portGuard("""
                {"upstreams":{"app":{"servers":{
                   "127.0.0.1:8080":{"portGuard":{"engaged":false,"portsHeld":120,"portBudget":1000,"threshold":"50%",
                                     "sourceAddresses":[]}},
                   "127.0.0.1:8081":{"portGuard":{"engaged":true,"portsHeld":1100,"portBudget":2000,"threshold":"50%",
                                     "sourceAddresses":["127.0.0.2","127.0.0.3"]}}}}}}
                """);

        assertThat(g).isEqualTo(new AdminStatus.PortGuard(true, 1220, 3000, "50%"));
    }

    @Test
    void aStatusWithoutPortGuardHasNone() throws Exception {
        assertThat(AdminStatus.portGuard("{\"upstreams\":{\"app\":{\"servers\":{\"a\":{\"totals\":{}}}}}}")).isNull();
    }

    @Test
    void adminStatusWithoutTheFieldsIsUnknown() throws Exception {
        assertThat(AdminStatus.parse("{\"uptime\": 3}")).isEqualTo(AdminStatus.UNKNOWN);
    }
}
