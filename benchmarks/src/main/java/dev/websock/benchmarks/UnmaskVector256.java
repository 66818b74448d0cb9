package dev.websock.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link UnmaskWebsock} with the vector-256 kernel (forced in its fork). */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {ForkKernel.VECTOR_MODULE, ForkKernel.ALLOW_UNSAFE,
        "-Ddev.websock.utf8.kernel=vector", "-Ddev.websock.utf8.vectorBits=256"})
public class UnmaskVector256 extends UnmaskWebsock {}
