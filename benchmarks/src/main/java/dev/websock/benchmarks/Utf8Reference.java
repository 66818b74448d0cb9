package dev.websock.benchmarks;

import dev.websock.utf8.kernel.Utf8Dfa;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What websock's UTF-8 validation is compared with: its own scalar path ({@link Utf8Dfa#scan}: ASCII skipped
 * eight bytes at a time, then the table automaton; what every kernel falls back to), and the JDK's
 * {@link CharsetDecoder} (strict: {@link CodingErrorAction#REPORT}), reused and decoding into a reused
 * {@link CharBuffer} big enough for the whole input.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {ForkKernel.VECTOR_MODULE, ForkKernel.ALLOW_UNSAFE})
public class Utf8Reference extends Utf8Input {

    private CharsetDecoder decoder;
    private ByteBuffer in;
    private CharBuffer out;

    @Override
    protected void prepare() {
        decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        in = ByteBuffer.wrap(bytes);
        out = CharBuffer.allocate(size); // UTF-8 never decodes to more chars than bytes
    }

    @Override
    protected void verify() {
        require(scalarDfa() == Utf8Dfa.ACCEPT, "scalarDfa");
        require(jdkDecoder() == 0, "jdkDecoder");
    }

    /** websock's scalar path over the whole input: the automaton's final state ({@code ACCEPT} when valid). */
    @Benchmark
    public int scalarDfa() {
        return Utf8Dfa.stateOf(Utf8Dfa.scan(bytes, 0, size, Utf8Dfa.ACCEPT));
    }

    /** The JDK's decoder over the whole input: the number of bytes it left undecoded (0 when valid). */
    @Benchmark
    public int jdkDecoder() {
        CharsetDecoder d = decoder;
        ByteBuffer src = in.clear();
        CharBuffer dst = out.clear();
        d.reset();
        if (d.decode(src, dst, true).isError() || d.flush(dst).isError()) {
            return -1;
        }
        return src.remaining();
    }
}
