package dev.porter.http;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientResponsesTest {
    private static HttpResponse upstream(String... headers) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void unknownLengthIsRechunkedForHttp11Clients() {
        HttpResponse r = upstream("Transfer-Encoding", "chunked", "Connection", "keep-alive");
        assertThat(ClientResponses.prepare(r, HttpMethod.GET, HttpVersion.HTTP_1_1, true)).isTrue();
        assertThat(r.headers().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(r.headers().contains("Connection")).isFalse();
    }

    @Test
    void unknownLengthClosesTheConnectionForHttp10Clients() {
        HttpResponse r = upstream("Transfer-Encoding", "chunked");
        assertThat(ClientResponses.prepare(r, HttpMethod.GET, HttpVersion.HTTP_1_0, true)).isFalse();
        assertThat(r.headers().contains("Transfer-Encoding")).isFalse();
        assertThat(r.headers().get("Connection")).isEqualTo("close");
    }

    @Test
    void knownLengthKeepsAnHttp10KeepAliveClient() {
        HttpResponse r = upstream("Content-Length", "5");
        assertThat(ClientResponses.prepare(r, HttpMethod.GET, HttpVersion.HTTP_1_0, true)).isTrue();
        assertThat(r.headers().get("Connection")).isEqualTo("keep-alive");
    }

    @Test
    void headResponseIsNotReframed() {
        HttpResponse r = upstream("Transfer-Encoding", "chunked");
        ClientResponses.prepare(r, HttpMethod.HEAD, HttpVersion.HTTP_1_1, true);
        assertThat(r.headers().contains("Transfer-Encoding")).isFalse();
    }

    @Test
    void closingConnectionSaysSo() {
        HttpResponse r = upstream("Content-Length", "5");
        assertThat(ClientResponses.prepare(r, HttpMethod.GET, HttpVersion.HTTP_1_1, false)).isFalse();
        assertThat(r.headers().get("Connection")).isEqualTo("close");
    }
}
