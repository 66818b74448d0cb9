package dev.websock.benchmarks.codec;

import dev.websock.codec.FrameDecoder;
import dev.websock.codec.FrameHandler;
import dev.websock.codec.Role;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.internal.Parser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding a stream of small masked data frames (2-125 bytes of payload, as a client sends them) packed in one
 * direct buffer: websock's {@link FrameDecoder} against Netty 4.2's {@code WebSocket08FrameDecoder} (in an
 * {@code EmbeddedChannel}, the most direct way to drive it) and Jetty 12's core {@code Parser}. Each
 * decoder unmasks every payload; the score is per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameDecoding {

    static final int FRAMES = 1000;

    private ByteBuffer websockInput;
    private FrameDecoder websockDecoder;
    private final CountingHandler handler = new CountingHandler();

    private EmbeddedChannel nettyChannel;
    private ByteBuf nettyInput;

    private Parser jettyParser;
    private ByteBuffer jettyInput;

    @Setup
    public void setUp() {
        byte[] wire = maskedBinaryFrames(FRAMES, new SplittableRandom(2026));
        websockInput = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        websockDecoder = new FrameDecoder(Role.SERVER, 1 << 20);

        nettyChannel = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).allowExtensions(false).maxFramePayloadLength(1 << 20).build()));
        nettyInput = Unpooled.directBuffer(wire.length).writeBytes(wire);

        jettyParser = new Parser(new ArrayByteBufferPool());
        jettyInput = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
    }

    @TearDown
    public void tearDown() {
        nettyChannel.finishAndReleaseAll();
        nettyInput.release();
    }

    /** Binary frames (no UTF-8 check anywhere), masked, with payloads of 2 to 125 bytes. */
    static byte[] maskedBinaryFrames(int count, SplittableRandom random) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int length = 2 + random.nextInt(124);
            out.write(0x82);
            out.write(0x80 | length);
            byte[] key = new byte[4];
            random.nextBytes(key);
            out.writeBytes(key);
            for (int j = 0; j < length; j++) {
                out.write(random.nextInt(256) ^ key[j & 3]);
            }
        }
        return out.toByteArray();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long websock() {
        // The decoder unmasks in place, so the payload toggles between masked and not from one call to the
        // next; binary frames do not care, and the work is the same.
        websockDecoder.decode(websockInput.clear(), handler);
        return handler.bytes;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long netty() {
        nettyChannel.writeInbound(nettyInput.retainedDuplicate());
        long bytes = 0;
        for (WebSocketFrame frame; (frame = nettyChannel.readInbound()) != null; ) {
            bytes += frame.content().readableBytes();
            frame.release();
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long jetty() {
        ByteBuffer input = jettyInput.duplicate();
        long bytes = 0;
        for (Frame.Parsed frame; (frame = jettyParser.parse(input)) != null; ) {
            bytes += frame.getPayloadLength();
            frame.close();
        }
        return bytes;
    }

    /** Touches nothing but counts, so the decoder's own cost is what is measured; allocates nothing. */
    static final class CountingHandler implements FrameHandler {
        long bytes;

        @Override
        public void onFrameStart(boolean fin, int rsv, int opcode, long payloadLength) {}

        @Override
        public void onFramePayload(ByteBuffer buffer, int from, int to) {
            bytes += to - from;
        }

        @Override
        public void onFrameEnd() {}

        @Override
        public void onProtocolError(int closeCode, String reason) {
            throw new IllegalStateException("benchmark input is valid, yet: " + closeCode + " " + reason);
        }
    }
}
