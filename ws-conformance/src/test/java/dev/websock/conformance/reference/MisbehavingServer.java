package dev.websock.conformance.reference;

import dev.websock.conformance.client.Handshake;
import dev.websock.conformance.wire.Frame;
import dev.websock.conformance.wire.FrameReader;
import dev.websock.conformance.wire.FrameWriter;
import dev.websock.conformance.wire.Opcode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately wrong echo server on plain sockets, to prove the runner's verdicts can fail: each mode breaks
 * one rule the runner must notice. It echoes unfragmented messages and answers pings and close frames.
 */
public final class MisbehavingServer implements AutoCloseable {

    public enum Mode {
        /** Answers a close frame but leaves the TCP connection open (RFC 6455 §7.1.1 says the server closes it). */
        KEEPS_TCP_OPEN,
        /** On a frame with reserved bits, drops TCP without a close frame (§7.1.7: it SHOULD send one). */
        DROPS_WITHOUT_CLOSE,
        /** Reads everything and answers nothing, not even close frames: a hanging server. */
        SILENT
    }

    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");

    private final Mode mode;
    private final ServerSocket listener;
    private final Thread acceptor;

    public MisbehavingServer(Mode mode) throws IOException {
        this.mode = mode;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/echo");
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                Thread.ofPlatform().daemon().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            Matcher m = KEY.matcher(head);
            if (!m.find()) {
                return;
            }
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + Handshake.expectedAccept(m.group(1)) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            FrameReader reader = new FrameReader(1 << 24);
            FrameWriter writer = new FrameWriter(RandomGenerator.getDefault());
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (mode == Mode.SILENT) {
                    continue;
                }
                for (Frame f : reader.feed(buf, 0, n)) {
                    if (f.rsv() != 0 && mode == Mode.DROPS_WITHOUT_CLOSE) {
                        return;
                    }
                    int reply = switch (f.opcode()) {
                        case Opcode.TEXT, Opcode.BINARY, Opcode.CLOSE -> f.opcode();
                        case Opcode.PING -> Opcode.PONG;
                        default -> -1;
                    };
                    if (reply >= 0) {
                        out.write(writer.encode(new Frame(true, 0, reply, false, f.payload())));
                    }
                    if (f.opcode() == Opcode.CLOSE && mode != Mode.KEEPS_TCP_OPEN) {
                        return;
                    }
                }
            }
        } catch (Exception e) {
            // the runner dropped the connection
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
