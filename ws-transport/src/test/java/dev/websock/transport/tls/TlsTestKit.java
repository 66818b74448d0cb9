package dev.websock.transport.tls;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.nio.NioTransportProvider;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** What the TLS tests share: one development certificate per test JVM, transports, and simple handlers. */
final class TlsTestKit {
    /** Generating a key pair costs milliseconds; one per JVM is enough for every test that needs a server. */
    static final KeyMaterial LOCALHOST = SelfSignedCertificate.forLocalhost();
    static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private TlsTestKit() {
    }

    static Transport nio() {
        return new NioTransportProvider().open(TransportOptions.builder().threads(1).build());
    }

    static TlsTransport nioServer() {
        return new TlsTransport(nio(), TlsConfig.forServer(LOCALHOST).build());
    }

    static TlsTransport nioClient() {
        return new TlsTransport(nio(), TlsConfig.forClient(LOCALHOST.certificateChain()).build());
    }

    /** A JDK socket factory that trusts {@link #LOCALHOST} only. */
    static SSLSocketFactory trustingSocketFactory() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("localhost", LOCALHOST.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    /** Runs {@code task} on the connection's thread and waits for its result. */
    static <T> T onConnectionThread(Connection connection, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        connection.executor().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    /** Echoes every byte back; copies, because the read buffer is valid only during onRead. */
    static final class Echo implements ConnectionHandler {
        final CompletableFuture<Connection> opened = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();

        @Override
        public void onOpen(Connection connection) {
            opened.complete(connection);
        }

        @Override
        public void onRead(Connection connection, ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            connection.write(copy, WriteCallback.NONE);
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            closed.complete(cause);
        }
    }

    /** Collects what arrives and records each event, for assertions from the test thread. */
    static final class Recorder implements ConnectionHandler {
        final CompletableFuture<Connection> opened = new CompletableFuture<>();
        final CompletableFuture<Void> readShutdown = new CompletableFuture<>();
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final boolean closeOnReadShutdown;
        private int expected = Integer.MAX_VALUE;
        private CompletableFuture<byte[]> all;

        Recorder() {
            this(true);
        }

        Recorder(boolean closeOnReadShutdown) {
            this.closeOnReadShutdown = closeOnReadShutdown;
        }

        @Override
        public void onOpen(Connection connection) {
            opened.complete(connection);
        }

        @Override
        public synchronized void onRead(Connection connection, ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received.writeBytes(bytes);
            if (all != null && received.size() >= expected) {
                all.complete(received.toByteArray());
            }
        }

        /** Completes once {@code count} bytes have arrived in all. */
        synchronized CompletableFuture<byte[]> receive(int count) {
            expected = count;
            all = new CompletableFuture<>();
            if (received.size() >= count) {
                all.complete(received.toByteArray());
            }
            return all;
        }

        synchronized byte[] received() {
            return received.toByteArray();
        }

        @Override
        public void onReadShutdown(Connection connection) {
            readShutdown.complete(null);
            if (closeOnReadShutdown) {
                connection.close();
            }
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            closed.complete(cause);
        }
    }

    static List<String> protocols() {
        return TlsConfig.PROTOCOLS;
    }
}
