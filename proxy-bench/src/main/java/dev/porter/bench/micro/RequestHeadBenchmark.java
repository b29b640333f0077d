package dev.porter.bench.micro;

import dev.porter.client.ClientAddress;
import dev.porter.config.RouteConfig;
import dev.porter.config.UpstreamHttpVersion;
import dev.porter.http.HeadParser;
import dev.porter.http.MessageHead;
import dev.porter.http.UpstreamRequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The two pieces of the request path that touch every byte of a request head: parsing it
 * ({@link HeadParser}, which checks each byte against the grammar) and writing the head sent
 * upstream ({@link UpstreamRequestHead}). The heads are what the throughput bench's load
 * generator sends ({@code wrk}: three fields) and what a browser sends (twelve fields, ~600
 * bytes), in a direct buffer as they come off a socket.
 *
 * <p>JMH state: one per benchmark thread.
 */
@State(Scope.Thread)
public class RequestHeadBenchmark {
    private static final String WRK = "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
    private static final String BROWSER = """
            GET /shop/cart/items?sort=price&page=2 HTTP/1.1\r
            Host: shop.example.com\r
            User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
            Accept-Language: en-US,en;q=0.5\r
            Accept-Encoding: gzip, deflate, br\r
            Referer: https://shop.example.com/shop/cart\r
            Connection: keep-alive\r
            Cookie: JSESSIONID=0123456789ABCDEF0123456789ABCDEF; theme=dark; consent=yes\r
            Upgrade-Insecure-Requests: 1\r
            Sec-Fetch-Dest: document\r
            Sec-Fetch-Mode: navigate\r
            Priority: u=0, i\r
            \r
            """;

    @Param({"wrk", "browser"})
    public String head;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final RouteConfig route = new RouteConfig("*", "/", "app", Map.of(), List.of());
    private final HeadParser parser = new HeadParser(true, 8192, 8192);
    private ClientAddress client;
    private ByteBuf wire;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        client = ClientAddress.of(InetAddress.getByName("192.0.2.10"));
        byte[] bytes = ("wrk".equals(head) ? WRK : BROWSER).getBytes(StandardCharsets.ISO_8859_1);
        wire = alloc.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
    }

    /** Parses the head: the scan, the field table, the framing decisions. */
    @Benchmark
    public int parse() {
        parser.begin();
        int length = parser.scan(wire);
        MessageHead parsed = parser.take(wire.retainedSlice(wire.readerIndex(), length));
        int fields = parsed.fieldCount();
        parsed.release();
        return fields;
    }

    /** Parses the head and writes the one sent upstream, as the request path does. */
    @Benchmark
    public int parseAndWriteUpstream() {
        parser.begin();
        int length = parser.scan(wire);
        MessageHead parsed = parser.take(wire.retainedSlice(wire.readerIndex(), length));
        ByteBuf out = UpstreamRequestHead.write(alloc, parsed, route, UpstreamHttpVersion.HTTP_1_1,
                client, "127.0.0.1:8081", false, false);
        int written = out.readableBytes();
        out.release();
        parsed.release();
        return written;
    }
}
