package dev.websock.benchmarks.transport;

import dev.websock.benchmarks.harness.ServerConsole;
import dev.websock.benchmarks.harness.TlsMaterial;
import dev.websock.transport.Acceptor;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.Transports;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One echo server in its own JVM, started by {@link TransportBench} (pinned to its core with {@code taskset}).
 *
 * <p>Arguments: {@code <server> <tls key store or "plain"> <echo|idle|corrupt>}, where {@code server} is
 * {@code netty} or {@code websock-<provider>} ({@code websock-nio}, {@code websock-virtual}); {@code corrupt} (Netty
 * only) flips a bit of every connection's echo at offset 100,000, for the load generator's self-test. It listens on a free loopback port,
 * then answers the commands of {@link ServerConsole}.
 */
public final class EchoServer {

    public static void main(String[] args) throws Exception {
        String server = args[0];
        Path keyStore = args[1].equals("plain") ? null : Path.of(args[1]);
        boolean idle = args[2].equals("idle");
        long corruptAt = args[2].equals("corrupt") ? 100_000 : -1;
        AtomicInteger open = new AtomicInteger();
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        AutoCloseable running;
        int port;
        if (server.equals("netty")) {
            NettyEcho netty = new NettyEcho(any, keyStore == null ? null : TlsMaterial.keyManagers(keyStore), idle, corruptAt,
                    open);
            running = netty;
            port = netty.port();
        } else if (server.startsWith("websock-")) {
            TransportOptions.Builder options = TransportOptions.builder().threads(1);
            // For experiments only (the runs in RESULTS.md use the defaults): -Dbench.highWaterMark=<bytes> sets the
            // high-water mark, and the low-water mark to half of it.
            Integer high = Integer.getInteger("bench.highWaterMark");
            if (high != null) {
                options.writeBufferWaterMarks(high / 2, high);
            }
            Transport transport = Transports.provider(server.substring("websock-".length())).open(options.build());
            if (keyStore != null) {
                transport = TlsMaterial.websockTls(transport, keyStore);
            }
            if (corruptAt >= 0) {
                throw new IllegalArgumentException("the corrupting echo is Netty's only");
            }
            WebsockEcho.Pool small = new WebsockEcho.Pool(WebsockEcho.SMALL);
            WebsockEcho.Pool large = new WebsockEcho.Pool(WebsockEcho.LARGE);
            WebsockEcho.Idle idleHandler = new WebsockEcho.Idle(open);
            Acceptor acceptor = idle ? connection -> idleHandler : connection -> new WebsockEcho(small, large, open);
            Listener listener = transport.listen(any, acceptor);
            port = ((InetSocketAddress) listener.localAddress()).getPort();
            running = transport;
        } else {
            throw new IllegalArgumentException("unknown server '" + server + "': netty, websock-nio or websock-virtual");
        }
        ServerConsole.serve(port, open);
        running.close();
        System.exit(0);
    }
}
