package dev.websock.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code java.net.http.WebSocket}, with what it receives gathered into whole messages and queued as
 * events: a {@code String} per text message, a {@code byte[]} per binary one, {@code "ping:…"} and
 * {@code "pong:…"} for control frames; the close arrives in {@link #closed}.
 */
final class JdkClient implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 10;

    final WebSocket ws;
    final LinkedBlockingQueue<Object> received;
    final CompletableFuture<String> closed;

    private JdkClient(WebSocket ws, LinkedBlockingQueue<Object> received, CompletableFuture<String> closed) {
        this.ws = ws;
        this.received = received;
        this.closed = closed;
    }

    static JdkClient connect(HttpClient http, URI uri) {
        return connect(http.newWebSocketBuilder(), uri);
    }

    static JdkClient connect(WebSocket.Builder builder, URI uri) {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();
            private ByteBuffer binary = ByteBuffer.allocate(0);

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                binary = ByteBuffer.allocate(binary.remaining() + data.remaining()).put(binary).put(data).flip();
                if (last) {
                    byte[] bytes = new byte[binary.remaining()];
                    binary.get(bytes);
                    received.add(bytes);
                    binary = ByteBuffer.allocate(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                received.add("ping:" + StandardCharsets.UTF_8.decode(message));
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                received.add("pong:" + StandardCharsets.UTF_8.decode(message));
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        };
        WebSocket ws = builder.buildAsync(uri, listener).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).join();
        return new JdkClient(ws, received, closed);
    }

    /** The next event, waiting up to the timeout; fails the test when none comes. */
    Object next() throws InterruptedException {
        Object event = received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("the JDK client received nothing within " + TIMEOUT_SECONDS + " s");
        }
        return event;
    }

    /** The close the server sent, as {@code "code reason"}. */
    String awaitClose() throws Exception {
        return closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
