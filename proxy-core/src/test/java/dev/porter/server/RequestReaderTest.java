package dev.porter.server;

import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RequestReader} as connections share it: handed on between requests and after a close. */
class RequestReaderTest {

    /** Records what the reader hands over; takes every body piece and releases it. */
    private static final class Recorder implements RequestReader.Sink {
        final List<String> events = new ArrayList<>();
        RequestReader reader;
        /** Keep the first head (as an exchange does) and hold whatever follows it. */
        boolean keepFirst;
        MessageHead kept;

        @Override
        public boolean holdNextRequest() {
            return kept != null;
        }

        @Override
        public boolean stopped() {
            return false;
        }

        @Override
        public void onHead(MessageHead head, boolean hasBody) {
            events.add(head.method() + " " + head.target() + (hasBody ? " +body" : ""));
            if (keepFirst && kept == null) {
                kept = head;
            } else {
                head.release();
            }
        }

        @Override
        public void onHeadRejected(RuntimeException e) {
            events.add("rejected");
        }

        @Override
        public void onBody(int length, boolean last) {
            ByteBuf part = reader.take(length);
            events.add("body " + part.toString(StandardCharsets.US_ASCII) + (last ? " last" : ""));
            part.release();
        }

        @Override
        public void onBodyRejected(RuntimeException e) {
            events.add("body rejected");
        }
    }

    private static void feed(RequestReader reader, Recorder sink, String bytes) {
        sink.reader = reader;
        reader.add(ByteBufAllocator.DEFAULT, Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        reader.process(sink);
    }

    @Test
    void aReaderIsIdleOnlyBetweenRequestsWithNothingRead() {
        RequestReader reader = new RequestReader(8192, 32768);
        Recorder sink = new Recorder();
        assertThat(reader.idle()).isTrue();
        feed(reader, sink, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab");
        assertThat(reader.idle()).isFalse();
        feed(reader, sink, "cd");
        assertThat(sink.events).containsExactly("POST /a +body", "body ab", "body cd last");
        assertThat(reader.idle()).isTrue();
        feed(reader, sink, "GET /b HT");
        assertThat(reader.idle()).isFalse();
        reader.close();
    }

    @Test
    void aReaderWhoseConnectionClosedInTheMiddleOfAHeadParsesTheNextConnectionFromItsFirstByte() {
        RequestReader reader = new RequestReader(8192, 32768);
        Recorder first = new Recorder();
        feed(reader, first, "GET /cut-short HTTP/1.1\r\nHost: x\r\nX-Long: abcdef");
        reader.close();
        assertThat(reader.idle()).isTrue();

        Recorder second = new Recorder();
        feed(reader, second, "GET /next HTTP/1.1\r\nHost: y\r\n\r\n");
        assertThat(second.events).containsExactly("GET /next");
        assertThat(reader.idle()).isTrue();
    }

    @Test
    void aReaderWhoseConnectionClosedInTheMiddleOfABodyStartsTheNextConnectionWithAHead() {
        RequestReader reader = new RequestReader(8192, 32768);
        Recorder first = new Recorder();
        feed(reader, first, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab");
        reader.close();

        Recorder second = new Recorder();
        feed(reader, second, "GET /next HTTP/1.1\r\nHost: y\r\n\r\n");
        assertThat(second.events).containsExactly("GET /next");
    }

    @Test
    void aReaderSwitchedToATunnelHandsOverTheBytesAfterTheHandshakeAndServesTheNextConnectionWithAParserOfItsOwn() {
        RequestReader reader = new RequestReader(8192, 32768);
        Recorder first = new Recorder();
        first.keepFirst = true;
        feed(reader, first, "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"
                + "\u0081\u0002hi");
        assertThat(first.events).containsExactly("GET /chat");
        ByteBuf frames = reader.switchProtocols();
        assertThat(frames.toString(StandardCharsets.ISO_8859_1)).isEqualTo("\u0081\u0002hi");
        frames.release();
        assertThat(reader.idle()).isTrue();
        assertThat(reader.switchProtocols()).as("nothing left behind").isNull();

        Recorder second = new Recorder();
        feed(reader, second, "GET /next HTTP/1.1\r\nHost: y\r\n\r\n");
        assertThat(second.events).containsExactly("GET /next");
        // The next connection's parse leaves the tunnel's head alone: its exchange logs it when the tunnel ends.
        assertThat(first.kept.target()).isEqualTo("/chat");
        assertThat(first.kept.websocketUpgrade()).isTrue();
        first.kept.release();
        reader.close();
    }
}
