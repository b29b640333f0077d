package dev.porter.tls;

import dev.porter.testing.TestPki;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTlsHandlerTest {
    private static final TestPki PKI = TestPki.ca("Test CA");
    private static Mapping<String, SslContext> sni;
    private final List<Object> passedOn = new ArrayList<>();

    @BeforeAll
    static void contexts() throws Exception {
        TestPki.Issued a = PKI.issue("a.test", List.of("a.test"), "EC");
        TestPki.Issued b = PKI.issue("b.test", List.of("b.test"), "EC");
        SslContext ca = SslContextBuilder.forServer(a.key(), a.certificate()).build();
        SslContext cb = SslContextBuilder.forServer(b.key(), b.certificate()).build();
        sni = new DomainWildcardMappingBuilder<>(ca).add("b.test", cb).build();
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new ClientTlsHandler(sni), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passedOn.add(msg);
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                passedOn.add(evt);
            }
        });
    }

    private static String outbound(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void plainHttpIsAnswered400AndNothingOfItIsPassedOn() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("GET", StandardCharsets.US_ASCII));
        assertThat(outbound(ch)).isEmpty(); // not yet 5 bytes: cannot tell
        ch.writeInbound(Unpooled.copiedBuffer(" / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        String response = outbound(ch);
        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close\r\n")
                .endsWith("the plain HTTP request was sent to an HTTPS port.\n");
        // An EmbeddedChannel cannot shut its output down alone, so it is closed (a socket gets a FIN
        // and is read and dropped from until the client closes: ListenerTlsIT).
        assertThat(ch.isOpen()).isFalse();
        assertThat(passedOn).isEmpty();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aClientHelloIsHandedToSniWhichPicksTheCertificateAndBecomesTheSslHandler() throws Exception {
        SSLEngine client = PKI.clientContext().createSSLEngine("b.test", 443);
        client.setUseClientMode(true);
        SSLParameters p = client.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("b.test")));
        client.setSSLParameters(p);
        ByteBuffer hello = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(ByteBuffer.allocate(0), hello);
        hello.flip();

        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(hello));
        assertThat(ch.pipeline().get(ClientTlsHandler.class)).isNull();
        assertThat(ch.pipeline().get(SslHandler.class)).isNotNull();
        assertThat(passedOn).hasSize(1);
        assertThat(((SniCompletionEvent) passedOn.get(0)).hostname()).isEqualTo("b.test");
        assertThat(outbound(ch)).isNotEmpty(); // the ServerHello
        ch.finishAndReleaseAll();
    }
}
