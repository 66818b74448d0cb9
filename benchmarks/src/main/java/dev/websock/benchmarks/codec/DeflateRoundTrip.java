package dev.websock.benchmarks.codec;

import dev.websock.codec.extension.InboundTransform;
import dev.websock.codec.extension.MessageDeflater;
import dev.websock.codec.extension.MessageInflater;
import dev.websock.codec.extension.OutboundTransform;
import dev.websock.codec.extension.PerMessageDeflate;
import dev.websock.codec.zlib.Compressor;
import dev.websock.codec.zlib.JdkCompressor;
import dev.websock.codec.zlib.Zlib;
import dev.websock.codec.zlib.ZlibCompressor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
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
 * permessage-deflate on 1 KiB of English-like text, with context takeover (the default):
 * <ul>
 *   <li>{@code websockRoundTrip}: our {@code MessageDeflater} then {@code MessageInflater}, against
 *       {@code rawJdkRoundTrip}, the bare {@code Deflater}/{@code Inflater} calls for the same work (target: our
 *       overhead at most 15%);</li>
 *   <li>{@code zlibCompress} (the system zlib through FFM) against {@code jdkCompress} ({@code java.util.zip}),
 *       both level 6, window 15, memLevel 8 (target: within 1.1x).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DeflateRoundTrip {

    private static final String[] WORDS = ("the of and to in is that it was for on are as with his they at be this from"
            + " have or by one had not but what all were when we there can an your which their said if do will each"
            + " about how up out them then she many some so these would other into has more her two like him see time"
            + " could no make than first been its who now people my made over did down only way find use may water"
            + " long little very after words called just where most know get through back much before go good new"
            + " write our used me man too any day same right look think also around another came come work three word"
            + " must because does part even place well such here take why things help put years different away again"
            + " off went old number great tell men say small every found still between name should home big give air"
            + " line set own under read last never us left end along while might next sound below saw something thought"
            + " both few those always looked show large often together asked house don't world going want school important"
            + " until form food keep children feet land side without boy once animals life enough took sometimes four"
            + " head above kind began almost live page got earth need far hand high year mother light parts country father"
            + " let night following picture being study second eyes soon times story boys since white days ever paper hard"
            + " near sentence better best across during today others however sure means knew it's try told young miles sun"
            + " ways thing whole hear example heard several change answer room sea against top turned learn point city play"
            + " toward five using himself usually").split(" ");

    static byte[] englishText(int size, SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < size) {
            sb.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(12) == 0 ? ". " : " ");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] text;
    private ByteBuffer message;

    private MessageDeflater deflater;
    private MessageInflater inflater;
    private final ByteBuffer compressed = ByteBuffer.allocate(4096);
    private long inflated;
    private final OutboundTransform.Output collect = (payload, last) -> compressed.put(payload);
    private final InboundTransform.Output count = new InboundTransform.Output() {
        @Override
        public boolean onData(ByteBuffer data, boolean last) {
            inflated += data.remaining();
            return true;
        }

        @Override
        public void onFailure(int closeCode, String reason) {
            throw new IllegalStateException(closeCode + " " + reason);
        }
    };

    private Deflater jdkDeflater;
    private Inflater jdkInflater;
    private final byte[] rawCompressed = new byte[4096];
    private final byte[] rawInflated = new byte[4096];

    private Compressor jdkCompressor;
    private Compressor zlibCompressor;

    @Setup
    public void setUp() {
        text = englishText(1024, new SplittableRandom(1024));
        message = ByteBuffer.wrap(text);
        deflater = new MessageDeflater(PerMessageDeflate.defaults(), 15, false);
        inflater = new MessageInflater(1 << 20, false, 16 * 1024);
        jdkDeflater = new Deflater(6, true);
        jdkInflater = new Inflater(true);
        jdkCompressor = new JdkCompressor(6, Deflater.DEFAULT_STRATEGY, 4096);
        zlibCompressor = Zlib.isAvailable() ? new ZlibCompressor(6, 15, 8, Zlib.Z_DEFAULT_STRATEGY, 4096, 4096) : null;
    }

    @TearDown
    public void tearDown() {
        deflater.close();
        inflater.close();
        jdkDeflater.end();
        jdkInflater.end();
        jdkCompressor.close();
        if (zlibCompressor != null) {
            zlibCompressor.close();
        }
    }

    @Benchmark
    public long websockRoundTrip() {
        compressed.clear();
        deflater.feed(message.clear(), collect);
        deflater.end(collect);
        inflater.feed(compressed, 0, compressed.position(), count);
        inflater.end(count);
        return inflated;
    }

    @Benchmark
    public int rawJdkRoundTrip() throws DataFormatException {
        jdkDeflater.setInput(text);
        int n = jdkDeflater.deflate(rawCompressed, 0, rawCompressed.length, Deflater.SYNC_FLUSH);
        // The sync flush ends in 00 00 FF FF, which the receiver would append again (RFC 7692 §7.2.2).
        jdkInflater.setInput(rawCompressed, 0, n);
        return jdkInflater.inflate(rawInflated);
    }

    @Benchmark
    public int jdkCompress() {
        return compress(jdkCompressor);
    }

    @Benchmark
    public int zlibCompress() {
        if (zlibCompressor == null) {
            throw new IllegalStateException("the system zlib is not available: " + Zlib.unavailableReason());
        }
        return compress(zlibCompressor);
    }

    private int compress(Compressor compressor) {
        compressor.output().clear();
        compressor.setInput(message.clear());
        int total = 0;
        do {
            total += compressor.deflate(Zlib.Z_SYNC_FLUSH);
        } while (!compressor.needsInput() || !compressor.output().hasRemaining());
        return total;
    }
}
