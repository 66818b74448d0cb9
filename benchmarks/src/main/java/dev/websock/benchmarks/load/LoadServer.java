package dev.websock.benchmarks.load;

import dev.websock.benchmarks.harness.ServerConsole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server JVM of the WebSocket load benchmark: starts one of the three echo servers (websock, Netty 4.2,
 * Jetty 12.1) on {@code 127.0.0.1}, a free port, path {@code /echo}, then hands over to {@link ServerConsole}
 * until {@code QUIT}.
 *
 * <pre>{@code
 * java -cp benchmarks.jar dev.websock.benchmarks.load.LoadServer <websock|netty|jetty> <key store.p12|plain>
 *      <deflate|no-deflate> <echo|corrupt>
 * }</pre>
 *
 * <p>The three servers get the same limits and timeouts ({@link #MAX_SIZE}, {@link #IDLE_TIMEOUT}) and one event
 * loop (selector) per available processor; everything else is each project's default. {@code corrupt} (Netty
 * only) flips a bit of the {@value #CORRUPTED_MESSAGE}th echoed message, for the load generator's self-test.
 */
public final class LoadServer {
    /** The host every server binds: the load generator runs on the same machine. */
    static final String HOST = "127.0.0.1";
    /** The WebSocket endpoint of every server. */
    static final String PATH = "/echo";
    /**
     * Message and frame payload limit, 16 MiB: the matrix sends messages up to 1 MiB in one frame, above the
     * defaults of Netty (64 KiB frames) and websock (1 MiB messages, where a 1 MiB payload just fits).
     */
    static final int MAX_SIZE = 16 << 20;
    /**
     * Idle timeout, 10 min: the memory measurement holds 10,000 idle connections for longer than Jetty's 30 s
     * default, and a closed connection would falsify it.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** The data message (1-based, over the whole server) whose echo {@code corrupt} mode damages. */
    static final int CORRUPTED_MESSAGE = 50;

    /** A started echo server; closing it stops it. */
    sealed interface Echo extends AutoCloseable permits WebsockLoadEcho, NettyLoadEcho, JettyLoadEcho {
        /** The port it listens at. */
        int port();

        /** Stops the server; unchecked, so that the console's try-with-resources has nothing to handle. */
        @Override
        void close();
    }

    private LoadServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw usage("expected 4 arguments, got " + args.length);
        }
        Path keyStore = args[1].equals("plain") ? null : Path.of(args[1]);
        boolean deflate = switch (args[2]) {
            case "deflate" -> true;
            case "no-deflate" -> false;
            default -> throw usage("unknown deflate mode " + args[2]);
        };
        boolean corrupt = switch (args[3]) {
            case "echo" -> false;
            case "corrupt" -> true;
            default -> throw usage("unknown echo mode " + args[3]);
        };
        AtomicInteger open = new AtomicInteger();
        try (Echo server = start(args[0], keyStore, deflate, corrupt, open)) {
            ServerConsole.serve(server.port(), open);
        }
        System.exit(0); // the servers' threads may be non-daemon, and QUIT means now
    }

    private static Echo start(String name, Path keyStore, boolean deflate, boolean corrupt,
            AtomicInteger open) throws Exception {
        if (corrupt && !name.equals("netty")) {
            throw new IllegalArgumentException("corrupt mode is implemented for netty only, not " + name
                    + ": the self-test needs one server that damages an echo");
        }
        return switch (name) {
            case "websock" -> new WebsockLoadEcho(keyStore, deflate, open);
            case "netty" -> new NettyLoadEcho(keyStore, deflate, corrupt, open);
            case "jetty" -> new JettyLoadEcho(keyStore, deflate, open);
            default -> throw usage("unknown server " + name);
        };
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; usage: LoadServer <websock|netty|jetty>"
                + " <PKCS#12 key store path|plain> <deflate|no-deflate> <echo|corrupt>");
    }
}
