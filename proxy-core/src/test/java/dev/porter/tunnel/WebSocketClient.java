package dev.porter.tunnel;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's WebSocket client with a listener that queues whole messages (text as a String,
 * binary as a byte[]) and records how the connection ended. Its callbacks run on the
 * HttpClient's threads; the test thread reads the queue and the futures.
 */
final class WebSocketClient implements WebSocket.Listener {
    WebSocket ws;
    final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    /** Opens a WebSocket to {@code uri} (ws: or wss:, with {@code http}'s TLS settings). */
    static WebSocketClient connect(HttpClient http, URI uri) {
        WebSocketClient c = new WebSocketClient();
        c.ws = http.newWebSocketBuilder().buildAsync(uri, c).join();
        return c;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.add(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        binary.writeBytes(b);
        if (last) {
            messages.add(binary.toByteArray());
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    boolean ended() {
        return closed.isDone();
    }

    Object next() throws InterruptedException {
        Object m = messages.poll(20, TimeUnit.SECONDS);
        assertThat(m).as("a message within 20 s").isNotNull();
        return m;
    }
}
