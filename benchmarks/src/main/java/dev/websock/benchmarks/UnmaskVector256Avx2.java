package dev.websock.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link UnmaskWebsock} with the vector-256 kernel in a JVM that compiles to AVX2 at most ({@code -XX:UseAVX=2}), as
 * on the many x86 servers without AVX-512: there some Vector API operations (masked byte loads and stores) have no
 * instructions and run lane by lane in Java. On other CPUs the flag is ignored.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {ForkKernel.VECTOR_MODULE, ForkKernel.ALLOW_UNSAFE,
        "-XX:+IgnoreUnrecognizedVMOptions", "-XX:UseAVX=2",
        "-Ddev.websock.utf8.kernel=vector", "-Ddev.websock.utf8.vectorBits=256"})
public class UnmaskVector256Avx2 extends UnmaskWebsock {}
