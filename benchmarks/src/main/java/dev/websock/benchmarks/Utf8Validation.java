package dev.websock.benchmarks;

import dev.websock.utf8.Utf8;
import dev.websock.utf8.Utf8Validator;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * websock's UTF-8 validation through its public API, with the kernel its subclass's fork forces: one-shot
 * over the whole {@code byte[]}, and streaming through a {@link Utf8Validator} fed {@value #CHUNK}-byte
 * chunks (reset per message, as a connection does).
 */
public abstract class Utf8Validation extends Utf8Input {

    /** The streaming chunk: the size of a typical socket read into a small buffer. */
    static final int CHUNK = 1024;

    private final Utf8Validator validator = new Utf8Validator();

    @Override
    protected void verify() {
        require(oneShot() == -1, "oneShot");
        require(streaming(), "streaming");
    }

    /** {@code Utf8.firstInvalid} over the whole input: -1 when valid. */
    @Benchmark
    public int oneShot() {
        return Utf8.firstInvalid(bytes, 0, size);
    }

    /** The input fed to a reset {@link Utf8Validator} in 1 KiB chunks: whether it was a complete, valid message. */
    @Benchmark
    public boolean streaming() {
        Utf8Validator v = validator;
        v.reset();
        byte[] a = bytes;
        int n = size;
        for (int from = 0; from < n; from += CHUNK) {
            if (v.feed(a, from, Math.min(from + CHUNK, n)) >= 0) {
                return false;
            }
        }
        return v.isComplete();
    }
}
