package dev.websock.benchmarks.harness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/** The load generators' TLS 1.3 client side: an engine, and a blocking handshake before a channel turns non-blocking. */
public final class TlsClient {

    private TlsClient() {
    }

    /** A client engine that speaks TLS 1.3 only and offers {@code cipherSuites} ({@code null}: the JDK's). */
    public static SSLEngine engine(SSLContext context, InetSocketAddress address, String[] cipherSuites) {
        SSLEngine engine = context.createSSLEngine("localhost", address.getPort());
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        if (cipherSuites != null) {
            engine.setEnabledCipherSuites(cipherSuites);
        }
        return engine;
    }

    /**
     * Runs the handshake over the blocking {@code channel}. {@code netIn} is left ready for reading more into
     * (it may hold records that came after the handshake), {@code netOut} empty and flipped.
     *
     * @return the protocol and cipher suite agreed, such as "TLSv1.3 TLS_AES_128_GCM_SHA256"
     */
    public static String handshake(SocketChannel channel, SSLEngine engine, ByteBuffer netIn, ByteBuffer netOut)
            throws IOException {
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer scratch = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    netOut.clear();
                    SSLEngineResult result = engine.wrap(empty, netOut);
                    netOut.flip();
                    while (netOut.hasRemaining()) {
                        channel.write(netOut);
                    }
                    if (result.getStatus() != SSLEngineResult.Status.OK) {
                        throw new SSLException("TLS handshake: wrap " + result.getStatus());
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    netIn.flip();
                    scratch.clear();
                    SSLEngineResult result = engine.unwrap(netIn, scratch);
                    netIn.compact();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        if (channel.read(netIn) < 0) {
                            throw new SSLException("TLS handshake: the server closed the connection");
                        }
                    } else if (result.getStatus() != SSLEngineResult.Status.OK) {
                        throw new SSLException("TLS handshake: unwrap " + result.getStatus());
                    }
                }
                case NEED_TASK -> runTasks(engine);
                case FINISHED, NOT_HANDSHAKING -> {
                    return engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
                }
            }
        }
    }

    /** Runs the engine's delegated tasks here: a load generator has no other thread to give them to. */
    public static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
