package dev.websock.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A deliberately small WebSocket client over a blocking socket, for tests that must send what a correct client
 * never would: it writes raw bytes and reads raw frames, without going through ws-codec.
 */
final class RawClient implements AutoCloseable {
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }
    }

    /** How long a read waits before the client gives up on the server (reads fail, serverClosedTcp is false). */
    static final int READ_TIMEOUT_MILLIS = 5000;

    final InputStream in;
    final OutputStream out;
    private final AutoCloseable connection;
    private final Runnable pauseReading;
    private final Runnable resumeReading;
    private java.util.function.LongSupplier unsent = () -> -1;
    String responseHead;

    RawClient(InetSocketAddress address) throws IOException {
        this(socket(address, -1));
    }

    /** A client over a connected socket (an {@code SSLSocket} for TLS). */
    static RawClient over(Socket socket) throws IOException {
        return new RawClient(socket);
    }

    private RawClient(Socket socket) throws IOException {
        this(socket.getInputStream(), socket.getOutputStream(), socket, () -> { }, () -> { });
    }

    /**
     * A client over any byte stream: {@code in} must time out after {@link #READ_TIMEOUT_MILLIS} with a
     * {@link SocketTimeoutException}. {@code pauseReading} stops taking bytes from the server (a socket client
     * simply does not call read).
     */
    RawClient(InputStream in, OutputStream out, AutoCloseable connection, Runnable pauseReading,
            Runnable resumeReading) {
        this.in = new java.io.BufferedInputStream(in, 64 * 1024);
        this.out = out;
        this.connection = connection;
        this.pauseReading = pauseReading;
        this.resumeReading = resumeReading;
    }

    /** A TCP client whose receive buffer is {@code receiveBufferSize} bytes (-1: the system's default). */
    static RawClient tcp(InetSocketAddress address, int receiveBufferSize) throws IOException {
        return new RawClient(socket(address, receiveBufferSize));
    }

    private static Socket socket(InetSocketAddress address, int receiveBufferSize) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.connect(address, READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Stops taking the server's bytes, so that they back up into the server (a client that does not read). */
    void pauseReading() {
        pauseReading.run();
    }

    void resumeReading() {
        resumeReading.run();
    }

    /**
     * Bytes this client wrote that the server has not read yet, where the transport can tell (in-memory: its
     * queue; a socket's lie in kernel buffers), else -1.
     */
    long unsent() {
        return unsent.getAsLong();
    }

    RawClient unsent(java.util.function.LongSupplier unsent) {
        this.unsent = unsent;
        return this;
    }

    static RawClient connect(InetSocketAddress address, String path, String... extraHeaders) throws IOException {
        return upgrade(new RawClient(address), path, extraHeaders);
    }

    /** Sends the upgrade request on {@code client}; throws (and closes it) unless the answer is 101. */
    static RawClient upgrade(RawClient client, String path, String... extraHeaders) throws IOException {
        String head = client.handshake(path, extraHeaders);
        if (!head.startsWith("HTTP/1.1 101")) {
            client.close();
            throw new IOException("handshake refused: " + head);
        }
        return client;
    }

    /** Sends an upgrade request; returns the response head. */
    String handshake(String path, String... extraHeaders) throws IOException {
        byte[] keyBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(keyBytes);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(keyBytes) + "\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        sendRaw(request.toString().getBytes(StandardCharsets.US_ASCII));
        return readHead();
    }

    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        responseHead = head.toString(StandardCharsets.ISO_8859_1);
        return responseHead;
    }

    /** Reads what follows the head of an HTTP error response until the server closes. */
    String readBodyUntilClose() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one masked frame. */
    void send(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
        sendRaw(frame(fin, rsv, opcode, payload, true));
    }

    void sendText(String text) throws IOException {
        send(true, 0, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendClose(int code, String reason) throws IOException {
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + reasonBytes.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
        send(true, 0, 8, payload);
    }

    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length <= 125) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            frame.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** Reads the next frame; throws EOFException when the server closed the connection. */
    Frame read() throws IOException {
        DataInputStream data = new DataInputStream(in);
        int b0 = data.readUnsignedByte();
        int b1 = data.readUnsignedByte();
        if ((b1 & 0x80) != 0) {
            throw new IOException("the server sent a masked frame (RFC 6455 §5.1 forbids it)");
        }
        long length = b1 & 0x7F;
        if (length == 126) {
            length = data.readUnsignedShort();
        } else if (length == 127) {
            length = data.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        data.readFully(payload);
        return new Frame((b0 & 0x80) != 0, b0 >> 4 & 7, b0 & 0x0F, payload);
    }

    /** Whether the server closed the TCP connection (end of stream) within the socket timeout. */
    boolean serverClosedTcp() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException timeout) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Reads the next frame, expecting none: returns null at end of stream. */
    Frame readOrEnd() throws IOException {
        try {
            return read();
        } catch (EOFException end) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
