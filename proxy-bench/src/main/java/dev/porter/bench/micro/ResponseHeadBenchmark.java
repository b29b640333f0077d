package dev.porter.bench.micro;

import dev.porter.http.ClientResponseHead;
import dev.porter.http.HeadParser;
import dev.porter.http.MessageHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.charset.StandardCharsets;

/**
 * The response side's counterpart of {@link RequestHeadBenchmark}: parsing an upstream's
 * response head and writing the head the client gets ({@link ClientResponseHead}). The heads
 * are what the throughput bench's static origin sends (nginx {@code return 200}: five fields)
 * and what a Tomcat application typically sends (nine fields, a session cookie among them).
 *
 * <p>JMH state: one per benchmark thread.
 */
@State(Scope.Thread)
public class ResponseHeadBenchmark {
    private static final String NGINX = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Wed, 02 Dec 2026 10:00:00 GMT\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
            + "Connection: keep-alive\r\n\r\n";
    private static final String TOMCAT = """
            HTTP/1.1 200 \r
            Set-Cookie: JSESSIONID=0123456789ABCDEF0123456789ABCDEF; Path=/shop; HttpOnly\r
            Cache-Control: no-cache, no-store, must-revalidate\r
            X-Content-Type-Options: nosniff\r
            Content-Type: text/html;charset=UTF-8\r
            Content-Language: en-US\r
            Content-Length: 5120\r
            Date: Wed, 02 Dec 2026 10:00:00 GMT\r
            Keep-Alive: timeout=20\r
            Connection: keep-alive\r
            \r
            """;

    @Param({"nginx", "tomcat"})
    public String head;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final HeadParser parser = new HeadParser(false, 8192, 65536);
    private ByteBuf wire;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = ("nginx".equals(head) ? NGINX : TOMCAT).getBytes(StandardCharsets.ISO_8859_1);
        wire = alloc.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
    }

    /** Parses the response head and writes the client's, as the request path does. */
    @Benchmark
    public int parseAndWriteClient() {
        parser.begin();
        int length = parser.scan(wire);
        MessageHead parsed = parser.take(wire.retainedSlice(wire.readerIndex(), length));
        ClientResponseHead.Prepared prepared = ClientResponseHead.write(alloc, parsed, HttpMethod.GET, false, true);
        int written = prepared.head().readableBytes();
        prepared.head().release();
        parsed.release();
        return written;
    }
}
