package dev.websock.osgitests.probes;

import dev.websock.server.Session;
import dev.websock.server.WebSocketHandler;
import dev.websock.server.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Activator of the probe bundle of {@code dev.websock.server}: starts a plain {@code ws://} echo server on
 * 127.0.0.1 (a free port, permessage-deflate on as by default, the transport found by the server itself),
 * talks to it over a raw socket (handshake offering permessage-deflate, a masked text frame, the compressed
 * echo, the closing handshake), and keeps it running until the probe stops, so that the test can connect from
 * outside the framework too. Its report adds {@code port} (see {@code ProbedBundle} for the contract).
 */
public final class ServerProbe implements BundleActivator {

    private static final String TARGET = "dev.websock.server";
    /** RFC 6455 §1.3's example key and the accept value that answers it. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final int TIMEOUT_MILLIS = 5_000;

    private WebSocketServer server;

    @Override
    public void start(BundleContext context) throws IOException {
        List<String> failures = new ArrayList<>();
        int checks = 0;

        server = WebSocketServer.builder()
                .bind("127.0.0.1", 0)
                .route("/echo", new WebSocketHandler() {
                    @Override
                    public void onText(Session session, String text) {
                        session.sendText(text);
                    }
                })
                .build()
                .start();
        try {
            checks += rawEcho(failures, server.port());
        } catch (IOException | DataFormatException | RuntimeException e) {
            failures.add("raw-socket echo failed: " + e);
        }

        Bundle definer = FrameworkUtil.getBundle(WebSocketServer.class);
        Map<String, Object> report = Map.of(
                "loadedBy", definer == null ? "not a bundle: " + WebSocketServer.class.getClassLoader() : definer.getSymbolicName(),
                "port", server.port(),
                "checks", checks,
                "failures", List.copyOf(failures));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("websock.probe.target", TARGET);
        context.registerService(Map.class.getName(), report, properties);
    }

    @Override
    public void stop(BundleContext context) {
        if (server != null) {
            server.close();
        }
    }

    /** One text message echoed, compressed, over a hand-written WebSocket client connection. */
    private static int rawEcho(List<String> failures, int port) throws IOException, DataFormatException {
        int checks = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());

            out.write(("GET /echo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = readHead(in);
            checks += check(failures, "101 status line", true, response.startsWith("HTTP/1.1 101"));
            checks += check(failures, "accept value", true, response.contains("Sec-WebSocket-Accept: " + ACCEPT + "\r\n"));
            checks += check(failures, "permessage-deflate agreed", true,
                    response.contains("Sec-WebSocket-Extensions: permessage-deflate"));

            String text = "Grüße from a WebSocket server inside OSGi";
            out.write(maskedFrame(0x1, text.getBytes(StandardCharsets.UTF_8)));
            int first = in.readUnsignedByte();
            byte[] payload = readPayload(in);
            checks += check(failures, "echo frame: FIN, RSV1 (compressed), text", 0xC1, first);
            checks += check(failures, "echoed text", text, new String(inflate(payload), StandardCharsets.UTF_8));

            out.write(maskedFrame(0x8, new byte[] {0x03, (byte) 0xE8}));
            first = in.readUnsignedByte();
            payload = readPayload(in);
            checks += check(failures, "close frame", 0x88, first);
            checks += check(failures, "close code", 1000,
                    payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF));
        }
        return checks;
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** A final, masked client frame (RFC 6455 §5.2, §5.3) of fewer than 126 bytes. */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        byte[] mask = {0x37, (byte) 0xFA, 0x21, 0x3D};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    /** The payload of an unmasked server frame whose first byte has been read. */
    private static byte[] readPayload(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte();
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length > 126) {
            throw new IOException("unexpected server frame length byte " + length);
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /** RFC 7692 §7.2.2: append the 00 00 FF FF that the sender removed, then inflate. */
    private static byte[] inflate(byte[] compressed) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = new byte[compressed.length + 4];
            System.arraycopy(compressed, 0, input, 0, compressed.length);
            input[compressed.length + 2] = (byte) 0xFF;
            input[compressed.length + 3] = (byte) 0xFF;
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[256];
            for (int n; (n = inflater.inflate(chunk)) > 0; ) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }

    private static int check(List<String> failures, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            failures.add(what + ": expected " + expected + " but was " + actual);
        }
        return 1;
    }
}
