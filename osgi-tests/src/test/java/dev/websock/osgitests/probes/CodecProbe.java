package dev.websock.osgitests.probes;

import dev.websock.codec.FrameDecoder;
import dev.websock.codec.FrameEncoder;
import dev.websock.codec.MessageDecoder;
import dev.websock.codec.MessageEncoder;
import dev.websock.codec.MessageHandler;
import dev.websock.codec.Opcode;
import dev.websock.codec.Role;
import dev.websock.codec.extension.ExtensionNegotiation;
import dev.websock.codec.extension.PerMessageDeflate;
import dev.websock.codec.handshake.ParserState;
import dev.websock.codec.handshake.ServerHandshake;
import dev.websock.codec.handshake.UpgradeRequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Activator of the probe bundle of {@code dev.websock.codec}: a client-role encoder writes masked frames, a
 * server-role decoder reads them back, and a permessage-deflate agreement inflates a compressed message, all
 * through the probe bundle's {@code Import-Package} (see {@code ProbedBundle} for the contract).
 */
public final class CodecProbe implements BundleActivator {

    private static final String TARGET = "dev.websock.codec";

    @Override
    public void start(BundleContext context) {
        List<String> failures = new ArrayList<>();
        int checks = 0;
        List<String> seen = new ArrayList<>();
        MessageHandler recorder = new Recorder(seen);

        // The opening handshake: RFC 6455 §1.3's example key and accept value.
        UpgradeRequestParser parser = new UpgradeRequestParser();
        ParserState parsed = parser.parse(ByteBuffer.wrap(("GET /chat HTTP/1.1\r\nHost: server.example.com\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        checks += check(failures, "request parsed", ParserState.DONE, parsed);
        if (ServerHandshake.validate(parser.request()) instanceof ServerHandshake.Accepted accepted) {
            String response = new String(ServerHandshake.accept(accepted.key(), null, null), StandardCharsets.US_ASCII);
            checks += check(failures, "101 carries the accept value", true,
                    response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        } else {
            failures.add("the RFC's example request was rejected");
        }

        // Frames: masked by a client, decoded by a server, with fragmentation.
        MessageEncoder encoder = new MessageEncoder(new FrameEncoder(Role.CLIENT, new SplittableRandom(1)), 5);
        byte[] text = "Grüße from OSGi".getBytes(StandardCharsets.UTF_8);
        ByteBuffer wire = ByteBuffer.allocate(256);
        ByteBuffer header = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH);
        encoder.begin(Opcode.TEXT, text.length);
        int at = 0;
        for (long n; (n = encoder.nextFrame(header.clear())) >= 0; at += (int) n) {
            wire.put(header.flip());
            FrameEncoder.maskPayload(ByteBuffer.wrap(text, at, (int) n), wire, encoder.mask());
        }
        new MessageDecoder(new FrameDecoder(Role.SERVER, 1 << 16), recorder, MessageDecoder.Delivery.WHOLE, 1 << 16)
                .decode(wire.flip());
        checks += check(failures, "fragmented text", List.of("text Grüße from OSGi"), seen);

        // permessage-deflate: negotiate, then inflate a compressed message (RSV1).
        ExtensionNegotiation.Agreement agreement = new ExtensionNegotiation(List.of(PerMessageDeflate.defaults()))
                .accept(List.of("permessage-deflate; client_max_window_bits"));
        checks += check(failures, "agreed extensions", 1, agreement.extensions().size());
        byte[] compressed = deflate("κόσμε ".repeat(50).getBytes(StandardCharsets.UTF_8));
        ByteBuffer frame = ByteBuffer.allocate(compressed.length + 16);
        new FrameEncoder(Role.SERVER).writeHeader(frame, true, 0x40, Opcode.TEXT, compressed.length);
        frame.put(compressed);
        FrameDecoder frames = new FrameDecoder(Role.CLIENT, 1 << 16);
        frames.allowRsvBits(agreement.rsvBits());
        seen.clear();
        new MessageDecoder(frames, recorder, MessageDecoder.Delivery.WHOLE, 1 << 16,
                agreement.extensions().getFirst().newInbound(1 << 16)).decode(frame.flip());
        checks += check(failures, "inflated text", List.of("text " + "κόσμε ".repeat(50)), seen);

        Bundle definer = FrameworkUtil.getBundle(FrameDecoder.class);
        Map<String, Object> report = Map.of(
                "loadedBy", definer == null ? "not a bundle: " + FrameDecoder.class.getClassLoader() : definer.getSymbolicName(),
                "checks", checks,
                "failures", List.copyOf(failures));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("websock.probe.target", TARGET);
        context.registerService(Map.class.getName(), report, properties);
    }

    @Override
    public void stop(BundleContext context) {}

    private static byte[] deflate(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(message);
        byte[] out = new byte[message.length + 64];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        return Arrays.copyOf(out, n - 4); // RFC 7692 §7.2.1: drop the 00 00 FF FF tail
    }

    private static int check(List<String> failures, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            failures.add(what + ": expected " + expected + " but was " + actual);
        }
        return 1;
    }

    private static final class Recorder implements MessageHandler {
        private final List<String> seen;

        Recorder(List<String> seen) {
            this.seen = seen;
        }

        @Override
        public void onMessageData(int opcode, ByteBuffer data, boolean last) {
            seen.add(Opcode.name(opcode) + " " + StandardCharsets.UTF_8.decode(data));
        }

        @Override
        public void onPing(ByteBuffer data) {
            seen.add("ping");
        }

        @Override
        public void onPong(ByteBuffer data) {
            seen.add("pong");
        }

        @Override
        public void onClose(int code, String reason) {
            seen.add("close " + code);
        }

        @Override
        public void onProtocolError(int closeCode, String reason) {
            seen.add("error " + closeCode + " " + reason);
        }
    }
}
