package dev.porter.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestRejectionTest {

    @Test
    void mapsATooLongRequestLineTo414() {
        assertThat(RequestRejection.statusFor(new TooLongHttpLineException("x")))
                .isEqualTo(HttpResponseStatus.REQUEST_URI_TOO_LONG);
    }

    @Test
    void mapsATooLargeHeaderSectionTo431() {
        assertThat(RequestRejection.statusFor(new TooLongHttpHeaderException("x")))
                .isEqualTo(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    }

    @Test
    void mapsARejectionToItsOwnStatusAndKeepsTheReason() {
        RequestRejection.Exception rejection =
                new RequestRejection.Exception(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/2.0");
        assertThat(RequestRejection.statusFor(rejection)).isEqualTo(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
        assertThat(rejection.status()).isEqualTo(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED);
        assertThat(rejection.reason()).isEqualTo("HTTP/2.0");
        assertThat(rejection.getStackTrace()).isEmpty();
    }

    @Test
    void mapsAnythingElseTo400() {
        assertThat(RequestRejection.statusFor(new IllegalArgumentException("x"))).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    }
}
