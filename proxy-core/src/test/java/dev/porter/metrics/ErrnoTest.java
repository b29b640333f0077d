package dev.porter.metrics;

import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrnoTest {
    @Test
    void namesConnectFailuresByErrnoFromNativeAndJdkMessages() {
        assertThat(Errno.classify(new IOException("connect(..) failed: Cannot assign requested address"))).isEqualTo("EADDRNOTAVAIL");
        assertThat(Errno.classify(new BindException("Cannot assign requested address"))).isEqualTo("EADDRNOTAVAIL");
        assertThat(Errno.classify(new ConnectException("Connection refused"))).isEqualTo("ECONNREFUSED");
        assertThat(Errno.classify(new IOException("recvAddress(..) failed with error(-104): Connection reset by peer"))).isEqualTo("ECONNRESET");
        assertThat(Errno.classify(new ConnectTimeoutException("connection timed out after 10000 ms"))).isEqualTo("ETIMEDOUT");
        assertThat(Errno.classify(new IOException("Too many open files"))).isEqualTo("EMFILE");
        assertThat(Errno.classify(new IOException("something else"))).isEqualTo("OTHER");
    }

    @Test
    void namesWriteAndBindFailuresTheBenchSees() {
        assertThat(Errno.classify(new IOException("writevAddresses(..) failed: Broken pipe"))).isEqualTo("EPIPE");
        assertThat(Errno.classify(new IOException("bind(..) failed: Address already in use"))).isEqualTo("EADDRINUSE");
    }

    @Test
    void aWrappedSocketErrorIsNamedByItsCause() {
        assertThat(Errno.classify(new IllegalStateException("decoder failed",
                new IOException("read(..) failed: Connection reset by peer")))).isEqualTo("ECONNRESET");
        assertThat(Errno.classify(new IllegalStateException("no errno", new RuntimeException()))).isEqualTo(Errno.OTHER);
    }
}
