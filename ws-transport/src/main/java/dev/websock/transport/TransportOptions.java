package dev.websock.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * How a transport is configured; immutable, built once with {@link #builder()}. Each setting is written
 * next to its default and the reason for it. A provider ignores settings that do not apply to it (an
 * in-memory transport has no backlog).
 *
 * @param threads          event loops (NIO); default: available processors, one loop per core
 * @param backlog          pending connections a listener lets the kernel queue; default 1024, because a
 *                         burst of WebSocket clients reconnecting at once overflows the JDK's default of 50
 * @param readBufferSize   bytes read per system call into the shared read buffer; default 64 KiB, large
 *                         enough for most messages and a TLS record several times over
 * @param highWaterMark    queued outbound bytes above which a connection turns unwritable; default 64 KiB
 * @param lowWaterMark     queued outbound bytes at which it turns writable again; default 32 KiB, half the
 *                         high-water mark, so that writability does not flap
 * @param tcpNoDelay       disables Nagle's algorithm; default {@code true}: WebSocket messages are
 *                         latency-sensitive and the transport already batches writes per callback
 * @param threadFactory    makes the transport's platform threads; default: named daemon threads
 * @param busyPoll         how long an event loop keeps polling without blocking after it last found I/O
 *                         (NIO); default zero, never. Blocking hands the core to the kernel, and waking up
 *                         again costs tens of microseconds per message on a virtual machine, more than the
 *                         work; a loop that polls on instead answers a request-response peer two to three
 *                         times sooner, at the price of a busy core while traffic lasts. For latency-bound
 *                         servers on cores of their own; 50 µs is a good start
 */
public record TransportOptions(
        int threads,
        int backlog,
        int readBufferSize,
        int highWaterMark,
        int lowWaterMark,
        boolean tcpNoDelay,
        ThreadFactory threadFactory,
        Duration busyPoll) {

    public TransportOptions {
        requirePositive("threads", threads);
        requirePositive("backlog", backlog);
        if (readBufferSize < 1024) {
            throw new IllegalArgumentException(
                    "readBufferSize " + readBufferSize + " is below the minimum of 1024 bytes");
        }
        requirePositive("highWaterMark", highWaterMark);
        if (lowWaterMark < 0 || lowWaterMark > highWaterMark) {
            throw new IllegalArgumentException("lowWaterMark " + lowWaterMark
                    + " must be between 0 and highWaterMark " + highWaterMark);
        }
        Objects.requireNonNull(threadFactory, "threadFactory");
        Objects.requireNonNull(busyPoll, "busyPoll");
        if (busyPoll.isNegative() || busyPoll.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("busyPoll " + busyPoll + " must be between zero and one second");
        }
    }

    /** The defaults described on each component. */
    public static TransportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from a copy of these options. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.threads = threads;
        builder.backlog = backlog;
        builder.readBufferSize = readBufferSize;
        builder.highWaterMark = highWaterMark;
        builder.lowWaterMark = lowWaterMark;
        builder.tcpNoDelay = tcpNoDelay;
        builder.threadFactory = threadFactory;
        builder.busyPoll = busyPoll;
        return builder;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** Builds {@link TransportOptions}; every setter validates when {@link #build()} runs. */
    public static final class Builder {
        private int threads = Runtime.getRuntime().availableProcessors();
        private int backlog = 1024;
        private int readBufferSize = 64 * 1024;
        private int highWaterMark = 64 * 1024;
        private int lowWaterMark = 32 * 1024;
        private boolean tcpNoDelay = true;
        private ThreadFactory threadFactory = Thread.ofPlatform().name("websock-transport-", 0).daemon(true).factory();
        private Duration busyPoll = Duration.ZERO;

        private Builder() {
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        public Builder readBufferSize(int readBufferSize) {
            this.readBufferSize = readBufferSize;
            return this;
        }

        /** Sets both marks; {@code low} must not exceed {@code high}. */
        public Builder writeBufferWaterMarks(int low, int high) {
            this.lowWaterMark = low;
            this.highWaterMark = high;
            return this;
        }

        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        public Builder busyPoll(Duration busyPoll) {
            this.busyPoll = Objects.requireNonNull(busyPoll, "busyPoll");
            return this;
        }

        public TransportOptions build() {
            return new TransportOptions(threads, backlog, readBufferSize, highWaterMark, lowWaterMark, tcpNoDelay,
                    threadFactory, busyPoll);
        }
    }
}
