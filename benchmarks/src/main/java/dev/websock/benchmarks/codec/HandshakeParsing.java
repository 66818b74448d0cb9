package dev.websock.benchmarks.codec;

import dev.websock.codec.handshake.ServerHandshake;
import dev.websock.codec.handshake.UpgradeRequest;
import dev.websock.codec.handshake.UpgradeRequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A typical browser upgrade request parsed, validated and answered with its 101 response bytes: websock's
 * {@code UpgradeRequestParser} + {@code ServerHandshake}, against Netty 4.2's path for the same work
 * ({@code HttpRequestDecoder} + {@code HttpObjectAggregator}, {@code WebSocketServerHandshaker13}'s response,
 * {@code HttpResponseEncoder}), driven through {@code EmbeddedChannel}s. Target: websock at least 2x Netty.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandshakeParsing {

    /** What Chrome sends, give or take the cookie. */
    static final byte[] CHROME_REQUEST = String.join("\r\n",
            "GET /chat?room=42 HTTP/1.1",
            "Host: example.com",
            "Connection: Upgrade",
            "Pragma: no-cache",
            "Cache-Control: no-cache",
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Upgrade: websocket",
            "Origin: https://example.com",
            "Sec-WebSocket-Version: 13",
            "Accept-Encoding: gzip, deflate, br, zstd",
            "Accept-Language: en-US,en;q=0.9,de;q=0.8",
            "Cookie: session=6f1c2b9e0a; theme=dark",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
            .concat("\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private static final List<String> SUBPROTOCOLS = List.of("chat");

    private EmbeddedChannel nettyIn;
    private EmbeddedChannel nettyOut;
    private NettyHandshaker nettyHandshaker;

    /** Exposes the handshaker's response builder, the part of its work that is not writing to a channel. */
    static final class NettyHandshaker extends WebSocketServerHandshaker13 {
        NettyHandshaker() {
            super("ws://example.com/chat", "chat", WebSocketDecoderConfig.newBuilder().build());
        }

        FullHttpResponse respond(FullHttpRequest request) {
            return newHandshakeResponse(request, null);
        }
    }

    @Setup
    public void setUp() {
        nettyIn = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(65536));
        nettyOut = new EmbeddedChannel(new HttpResponseEncoder());
        nettyHandshaker = new NettyHandshaker();
    }

    @TearDown
    public void tearDown() {
        nettyIn.finishAndReleaseAll();
        nettyOut.finishAndReleaseAll();
    }

    @Benchmark
    public int websock() {
        UpgradeRequestParser parser = new UpgradeRequestParser();
        parser.parse(ByteBuffer.wrap(CHROME_REQUEST));
        UpgradeRequest request = parser.request();
        if (ServerHandshake.validate(request) instanceof ServerHandshake.Accepted accepted) {
            return ServerHandshake.accept(accepted.key(), ServerHandshake.selectSubprotocol(SUBPROTOCOLS, request), null).length;
        }
        throw new IllegalStateException("the benchmark request was rejected");
    }

    @Benchmark
    public int netty() {
        nettyIn.writeInbound(Unpooled.wrappedBuffer(CHROME_REQUEST));
        FullHttpRequest request = nettyIn.readInbound();
        FullHttpResponse response = nettyHandshaker.respond(request);
        request.release();
        nettyOut.writeOutbound(response);
        ByteBuf bytes = nettyOut.readOutbound();
        int length = bytes.readableBytes();
        bytes.release();
        return length;
    }
}
