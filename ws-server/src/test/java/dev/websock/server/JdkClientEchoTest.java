package dev.websock.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Normal traffic from the JDK's own WebSocket client ({@code java.net.http.WebSocket}). */
class JdkClientEchoTest {
    private WebSocketServer server;
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        server = WebSocketServer.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .route("/echo", new EchoHandler())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WebSocket connect() {
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
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                received.add("pong:" + java.nio.charset.StandardCharsets.UTF_8.decode(message));
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }
        };
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), listener)
                .join();
    }

    @Test
    void echoesTextBinaryAndFragmentedMessages() throws Exception {
        WebSocket ws = connect();
        ws.sendText("hello, wörld ✓", true).join();
        assertEquals("hello, wörld ✓", received.poll(5, TimeUnit.SECONDS));

        byte[] bytes = new byte[200_000];
        new java.util.Random(3).nextBytes(bytes);
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
        assertArrayEquals(bytes, (byte[]) received.poll(5, TimeUnit.SECONDS));

        ws.sendText("frag", false).join();
        ws.sendText("mented", true).join();
        assertEquals("fragmented", received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void answersPingsWithPongs() throws Exception {
        WebSocket ws = connect();
        ws.sendPing(ByteBuffer.wrap("are you there".getBytes())).join();
        assertEquals("pong:are you there", received.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void echoesTheClientsCloseCode() throws Exception {
        WebSocket ws = connect();
        ws.sendClose(4001, "done").join();
        assertEquals("4001 ", closed.get(5, TimeUnit.SECONDS));
    }
}
