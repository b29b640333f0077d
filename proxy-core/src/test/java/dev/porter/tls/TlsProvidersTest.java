package dev.porter.tls;

import dev.porter.config.ConfigLoader;
import dev.porter.config.ProxyConfig;
import dev.porter.testing.TestPki;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both TLS implementations Porter may run on, OpenSSL and the JDK's (the fallback where
 * OpenSSL does not load), configured from the same settings: handshakes between two
 * EmbeddedChannels, so the JDK path is tested on a machine where OpenSSL loads.
 */
class TlsProvidersTest {
    private static final TestPki PKI = TestPki.ca("Providers CA");
    private static final TestPki OTHER = TestPki.ca("Other CA");
    private static TestPki.Issued byDefault;
    private static TestPki.Issued named;

    @TempDir
    static Path dir;
    private static ProxyConfig config;

    @BeforeAll
    static void setUp() throws IOException {
        byDefault = PKI.issue("localhost", List.of("localhost"), "EC");
        named = PKI.issue("api.test", List.of("api.test"), "RSA");
        byDefault.writeChain(dir.resolve("default.pem"));
        byDefault.writeTraditionalKey(dir.resolve("default.key"));
        named.writeChain(dir.resolve("api.pem"));
        named.writeTraditionalKey(dir.resolve("api.key"));
        Path ca = PKI.writeCertificate(dir.resolve("ca.pem"));
        config = ConfigLoader.parse("porter {\n"
                + " listeners = [ { address = \"127.0.0.1:0\", tls { certificate = \"" + dir.resolve("default.pem")
                + "\", key = \"" + dir.resolve("default.key") + "\", certificates = [ { server-names = [ api.test ], certificate = \""
                + dir.resolve("api.pem") + "\", key = \"" + dir.resolve("api.key") + "\" } ] } } ]\n"
                + " upstreams { app { servers = [ { address = \"127.0.0.1:8443\" } ],"
                + " tls { enabled = true, trusted-certificates = \"" + ca + "\", server-name = api.test } } }\n"
                + " routes = [ { upstream = app } ]\n}\n", "porter.conf");
    }

    /** Moves bytes between the two channels until neither has anything left to say. */
    private static void converse(EmbeddedChannel a, EmbeddedChannel b) {
        for (int round = 0; round < 50; round++) {
            boolean moved = move(a, b) | move(b, a);
            if (!moved) {
                return;
            }
        }
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to) {
        boolean moved = false;
        Object m;
        while ((m = from.readOutbound()) != null) {
            moved = true;
            if (to.isOpen()) {
                try {
                    to.writeInbound(m);
                } catch (RuntimeException handshakeFailed) {
                    // EmbeddedChannel rethrows what reached the pipeline's end; the handshake future tells.
                }
            } else {
                ReferenceCountUtil.release(m);
            }
        }
        return moved;
    }

    /** Porter's client side of a TLS listener, with the handshake's outcome as the gate after it would see it. */
    private static EmbeddedChannel listener(ServerTls tls, List<String> seen) {
        return new EmbeddedChannel(tls.newClientHandler(), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                    seen.add("handshake");
                }
            }
        });
    }

    private static SslHandler client(String sni, String protocol) throws Exception {
        SslContext ctx = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(PKI.certificate())
                .protocols(protocol)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2", "http/1.1"))
                .build();
        return ctx.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT, sni, 443);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void listenerHandshakesPickTheCertificateBySniAndAnswerAlpn(SslProvider provider) throws Exception {
        ServerTls tls = ServerTls.build(config.listeners().get(0).tls(), provider);
        assertThat(tls.provider()).isEqualTo(provider);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            for (String sni : List.of("api.test", "localhost")) {
                List<String> seen = new java.util.ArrayList<>();
                EmbeddedChannel server = listener(tls, seen);
                SslHandler handler = client(sni, protocol);
                EmbeddedChannel client = new EmbeddedChannel(handler);
                converse(client, server);
                assertThat(handler.handshakeFuture().isSuccess()).as(provider + " " + protocol + " " + sni).isTrue();
                assertThat(seen).containsExactly("handshake");
                assertThat(handler.engine().getSession().getProtocol()).isEqualTo(protocol);
                assertThat(handler.applicationProtocol()).isEqualTo("http/1.1");
                X509Certificate peer = (X509Certificate) handler.engine().getSession().getPeerCertificates()[0];
                assertThat(peer).isEqualTo(sni.equals("api.test") ? named.certificate() : byDefault.certificate());
                client.finishAndReleaseAll();
                server.finishAndReleaseAll();
            }
        }
    }

    /** A listener whose default name has both certificates, {@code first} preferred; the same names for both. */
    private static ServerTls bothKeyTypes(TestPki.Issued first, TestPki.Issued second, SslProvider provider) throws Exception {
        List<String> files = new java.util.ArrayList<>();
        for (TestPki.Issued i : List.of(first, second)) {
            Path chain = i.writeChain(dir.resolve(i.key().getAlgorithm() + "-both.pem"));
            Path key = i.writePkcs8Key(dir.resolve(i.key().getAlgorithm() + "-both.key"));
            files.add("\"" + chain + "\"");
            files.add("\"" + key + "\"");
        }
        ProxyConfig c = ConfigLoader.parse("porter {\n listeners = [ { address = \"127.0.0.1:0\", tls {"
                + " certificate = [ " + files.get(0) + ", " + files.get(2) + " ], key = [ " + files.get(1) + ", " + files.get(3)
                + " ] } } ]\n upstreams { app { servers = [ { address = \"127.0.0.1:8080\" } ] } }\n"
                + " routes = [ { upstream = app } ]\n}\n", "porter.conf");
        return ServerTls.build(c.listeners().get(0).tls(), provider);
    }

    /** The certificate a client offering {@code protocol} (and, if given, only {@code ciphers}) is served. */
    private static X509Certificate served(ServerTls tls, String protocol, String... ciphers) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(PKI.certificate())
                .protocols(protocol);
        if (ciphers.length > 0) {
            b.ciphers(List.of(ciphers));
        }
        SslHandler handler = b.build().newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT, "localhost", 443);
        EmbeddedChannel client = new EmbeddedChannel(handler);
        EmbeddedChannel server = listener(tls, new java.util.ArrayList<>());
        try {
            converse(client, server);
            assertThat(handler.handshakeFuture().isSuccess()).as(tls.provider() + " " + protocol + " " + List.of(ciphers))
                    .isTrue();
            return (X509Certificate) handler.engine().getSession().getPeerCertificates()[0];
        } finally {
            client.finishAndReleaseAll();
            server.finishAndReleaseAll();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void oneNameWithAnEcdsaAndAnRsaCertificateServesEachClientOneItCanVerify(SslProvider provider) throws Exception {
        TestPki.Issued ec = PKI.issue("localhost", List.of("localhost"), "EC");
        TestPki.Issued rsa = PKI.issue("localhost", List.of("localhost"), "RSA");
        ServerTls tls = bothKeyTypes(ec, rsa, provider);
        // A TLS 1.3 client that accepts both (the JDK's offers ECDSA first) gets ECDSA.
        assertThat(served(tls, "TLSv1.3")).isEqualTo(ec.certificate());
        // TLS 1.2 clients whose suites allow only one key type get that one.
        assertThat(served(tls, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isEqualTo(rsa.certificate());
        assertThat(served(tls, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).isEqualTo(ec.certificate());
    }

    @org.junit.jupiter.api.Test
    void withOpenSslTheOperatorsOrderDecidesForAClientThatAcceptsBoth() throws Exception {
        TestPki.Issued ec = PKI.issue("localhost", List.of("localhost"), "EC");
        TestPki.Issued rsa = PKI.issue("localhost", List.of("localhost"), "RSA");
        assertThat(served(bothKeyTypes(rsa, ec, SslProvider.OPENSSL), "TLSv1.3")).isEqualTo(rsa.certificate());
        assertThat(served(bothKeyTypes(ec, rsa, SslProvider.OPENSSL), "TLSv1.3")).isEqualTo(ec.certificate());
        assertThat(served(bothKeyTypes(rsa, ec, SslProvider.OPENSSL), "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                .isEqualTo(ec.certificate());
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void upstreamHandshakesVerifyTheServerAndNameTheirFailures(SslProvider provider) throws Exception {
        UpstreamTls tls = UpstreamTls.build(config.upstreams().get("app"), provider);
        assertThat(handshake(tls, named)).isNull();
        assertThat(handshake(tls, byDefault)).isEqualTo(TlsFailures.CERTIFICATE); // trusted CA, wrong name
        assertThat(handshake(tls, OTHER.issue("api.test", List.of("api.test"), "EC"))).isEqualTo(TlsFailures.CERTIFICATE);
    }

    /** Porter's upstream side against a server with {@code certificate}; null on success, else the failure's reason. */
    private static String handshake(UpstreamTls tls, TestPki.Issued certificate) throws Exception {
        SslContext serverContext = SslContextBuilder.forServer(certificate.key(), certificate.certificate(), certificate.ca())
                .sslProvider(SslProvider.JDK).build();
        EmbeddedChannel server = new EmbeddedChannel(serverContext.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT));
        SslHandler handler = tls.newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT, new InetSocketAddress("127.0.0.1", 8443));
        EmbeddedChannel client = new EmbeddedChannel(handler);
        converse(client, server);
        Future<?> done = handler.handshakeFuture();
        assertThat(done.isDone()).isTrue();
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
        return done.isSuccess() ? null : TlsFailures.classify(done.cause());
    }
}
