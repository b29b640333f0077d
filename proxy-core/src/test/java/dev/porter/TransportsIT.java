package dev.porter;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import dev.porter.config.TransportChoice;
import dev.porter.testing.PorterFixture;
import dev.porter.testing.RawHttp;
import dev.porter.testing.TomcatBackend;
import dev.porter.testing.Transports;
import dev.porter.transport.Transport;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code porter.transport}: every transport this machine loads carries the same traffic in
 * front of a real Tomcat (pooled keep-alive, a body streamed up, a chunked body streamed down),
 * {@code auto} takes io_uring where it loads, and the choice cannot change on reload.
 */
class TransportsIT {

    @ParameterizedTest
    @MethodSource("dev.porter.testing.Transports#loadable")
    void eachTransportProxiesPooledRequestsAndStreamsBodiesBothWays(TransportChoice choice) throws Exception {
        try (TomcatBackend tomcat = TomcatBackend.start(60_000, -1);
             PorterFixture porter = PorterFixture.start(1, new String[] {tomcat.address()}, "keepalive = 4", "",
                     "transport = " + choice.configName())) {
            assertThat(porter.porter().transportName()).isEqualTo(choice.configName());
            try (RawHttp client = porter.connect()) {
                for (int i = 0; i < 50; i++) {
                    RawHttp.Response r = client.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
                    assertThat(r.status).isEqualTo(200);
                    assertThat(r.bodyText()).isEqualTo("hello from tomcat\n");
                }
                byte[] body = new byte[1 << 20];
                new Random(7).nextBytes(body);
                client.send(("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                client.send(body);
                RawHttp.Response echoed = client.read();
                assertThat(echoed.status).isEqualTo(200);
                assertThat(echoed.body).isEqualTo(body);

                client.send("GET /bytes?n=3000000 HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(client.readAndCountChunked()).isEqualTo(3_000_000);
            }
            assertThat(tomcat.requests()).isEqualTo(52);
            assertThat(tomcat.connectionsSeen()).isEqualTo(1);
        }
    }

    @Test
    void autoTakesIoUringWhereItLoadsThenEpollThenNio() {
        String expected = Transport.ioUringLoads() ? "io_uring" : Epoll.isAvailable() ? "epoll" : "nio";
        assertThat(Porter.transport(TransportChoice.AUTO).name()).isEqualTo(expected);
        ProxyConfig defaults = ProxyConfig.builder().build();
        assertThat(defaults.transport()).isEqualTo(TransportChoice.AUTO);
    }

    @Test
    void aNamedTransportIsTheOneThatRuns() {
        for (TransportChoice choice : Transports.loadable()) {
            assertThat(Porter.transport(choice).name()).isEqualTo(choice.configName());
        }
    }

    @Test
    void anUnknownTransportIsRefusedWithFileLineAndTheChoices() {
        String text = PorterFixture.config(1, new String[] {"127.0.0.1:1"}, "", "", "transport = kqueue");
        assertThatThrownBy(() -> ConfigLoader.parse(text, "porter.conf"))
                .hasMessageContaining("porter.conf: 10: porter.transport: must be one of auto, epoll, io_uring, nio, was \"kqueue\"");
    }

    @Test
    void theTransportCannotChangeOnReload() {
        ProxyConfig current = ConfigLoader.parse(PorterFixture.config(1, new String[] {"127.0.0.1:1"}, "", "", ""), "a.conf");
        ProxyConfig next = current.toBuilder().transport(TransportChoice.NIO).build();
        assertThat(Listeners.changeRefused(current, next)).isEqualTo("transport cannot change on reload; restart Porter to change it");
        assertThat(Listeners.changeRefused(current, current.toBuilder().build())).isNull();
    }
}
