package dev.websock.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link Utf8Validation} with the scalar kernel (forced in its fork). */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {ForkKernel.VECTOR_MODULE, ForkKernel.ALLOW_UNSAFE,
        "-Ddev.websock.utf8.kernel=scalar"})
public class Utf8Scalar extends Utf8Validation {}
