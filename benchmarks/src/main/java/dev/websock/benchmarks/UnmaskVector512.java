package dev.websock.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link UnmaskWebsock} with the vector-512 kernel (forced in its fork). */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {ForkKernel.VECTOR_MODULE, ForkKernel.ALLOW_UNSAFE,
        "-Ddev.websock.utf8.kernel=vector", "-Ddev.websock.utf8.vectorBits=512"})
public class UnmaskVector512 extends UnmaskWebsock {}
