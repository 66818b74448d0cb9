/**
 * The two hot loops of every WebSocket endpoint: XOR unmasking of client frames (RFC 6455 §5.3) and UTF-8
 * validation of text messages (RFC 6455 §8.1, RFC 3629).
 *
 * <p>The Vector API ({@code jdk.incubator.vector}) is optional: when the JVM was started without it
 * ({@code --add-modules jdk.incubator.vector}), or the CPU's vectors are too small, the scalar kernels
 * are used. {@link dev.websock.utf8.Utf8#kernelName()} says
 * which kernel runs.
 */
module dev.websock.utf8 {
    requires static jdk.incubator.vector;

    exports dev.websock.utf8;
}
