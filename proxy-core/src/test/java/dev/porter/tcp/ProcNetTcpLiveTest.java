package dev.porter.tcp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads this JVM's own loopback connection back from the kernel. Java's sockets are dual-stack
 * where IPv6 is on, so the pair usually sits in {@code tcp6} as {@code ::ffff:127.0.0.1}: this
 * also proves the mapped addresses compare equal to {@link java.net.Socket}'s IPv4 ones.
 */
class ProcNetTcpLiveTest {
    private static final Path PROC_NET = Path.of("/proc/net");

    @Test
    void establishedLoopbackPairIsFoundAndTheClosingClientLeavesTimeWait() throws IOException {
        assumeTrue(Files.isReadable(PROC_NET.resolve("tcp")), "no /proc/net/tcp on this host");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int clientPort;
        try (ServerSocket server = new ServerSocket(0, 1, loopback); Socket client = new Socket()) {
            InetSocketAddress serverAddress = (InetSocketAddress) server.getLocalSocketAddress();
            client.connect(serverAddress);
            try (Socket accepted = server.accept()) {
                InetSocketAddress clientAddress = (InetSocketAddress) client.getLocalSocketAddress();
                clientPort = clientAddress.getPort();

                List<TcpSocket> sockets = ProcNetTcp.read(PROC_NET);
                assertThat(sockets).contains(
                        new TcpSocket(clientAddress, serverAddress, TcpState.ESTABLISHED),
                        new TcpSocket(serverAddress, clientAddress, TcpState.ESTABLISHED));
                assertThat(sockets).anySatisfy(s -> {
                    assertThat(s.state()).isEqualTo(TcpState.LISTEN);
                    assertThat(s.local()).isEqualTo(serverAddress);
                    assertThat(s.remote().getAddress().isAnyLocalAddress()).isTrue();
                });

                // The side that closes first is the one that waits (RFC 9293 section 3.6): the
                // client goes FIN_WAIT1 -> FIN_WAIT2, then TIME_WAIT once the server side closes.
                client.close();
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> readUnchecked().stream().anyMatch(s ->
                        s.state() == TcpState.TIME_WAIT && s.local().getPort() == clientPort));
    }

    private static List<TcpSocket> readUnchecked() {
        try {
            return ProcNetTcp.read(PROC_NET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
