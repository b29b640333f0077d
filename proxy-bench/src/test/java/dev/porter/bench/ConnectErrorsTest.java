package dev.porter.bench;

import dev.porter.bench.load.ConnectErrors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectErrorsTest {
    @Test
    void errnoIsReadFromTheMessageWhateverTheExceptionType() {
        assertThat(ConnectErrors.classify(new BindException("Cannot assign requested address"))).isEqualTo("EADDRNOTAVAIL");
        assertThat(ConnectErrors.classify(new IOException("connect(..) failed: Cannot assign requested address")))
                .isEqualTo("EADDRNOTAVAIL");
        assertThat(ConnectErrors.classify(new ConnectException("Connection refused: /127.0.0.1:1")))
                .isEqualTo("ECONNREFUSED");
        assertThat(ConnectErrors.classify(new IOException("wrapped", new IOException("Connection reset by peer"))))
                .isEqualTo("ECONNRESET");
        assertThat(ConnectErrors.classify(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
