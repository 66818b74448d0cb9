package dev.websock.codec.extension;

import static dev.websock.codec.extension.Messages.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.websock.codec.CloseCode;
import dev.websock.codec.FrameDecoder;
import dev.websock.codec.FrameEncoder;
import dev.websock.codec.FrameHandler;
import dev.websock.codec.Opcode;
import dev.websock.codec.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transforms wired to the frame layer the way the message layer is to use them (RFC 7692 §6): RSV1 on a
 * message's first frame means compressed, the payload of every frame of that message goes through the inflater,
 * control frames never do, and RSV1 anywhere else fails the connection.
 */
class Rfc7692Section6_CompressedFramesOnTheWire {

    /** A minimal message layer: what MessageDecoder is to do for RSV1 messages, and nothing more. */
    private static final class InflatingReceiver implements FrameHandler, InboundTransform.Output {
        final FrameDecoder frames = new FrameDecoder(Role.CLIENT, 1 << 20);
        final MessageInflater inflater = new MessageInflater(1 << 20, false, 64);
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream message = new ByteArrayOutputStream();
        boolean inMessage;
        boolean compressed;
        boolean fin;

        InflatingReceiver() {
            frames.allowRsvBits(0x40);
        }

        void receive(String hexBytes) {
            frames.decode(ByteBuffer.wrap(hex(hexBytes)), this);
        }

        @Override
        public void onFrameStart(boolean fin, int rsv, int opcode, long payloadLength) {
            boolean rsv1 = (rsv & 0x40) != 0;
            if (Opcode.isControl(opcode) || opcode == Opcode.CONTINUATION) {
                // RFC 7692 §6: RSV1 only on the first frame of a data message.
                if (rsv1) {
                    fail(CloseCode.PROTOCOL_ERROR, "RSV1 set on a " + Opcode.name(opcode) + " frame");
                    return;
                }
            } else {
                inMessage = true;
                compressed = rsv1;
            }
            if (!Opcode.isControl(opcode)) {
                this.fin = fin;
            }
            if (Opcode.isControl(opcode) && payloadLength == 0) {
                events.add(Opcode.name(opcode));
            }
        }

        @Override
        public void onFramePayload(ByteBuffer buffer, int from, int to) {
            if (compressed) {
                if (!inflater.feed(buffer, from, to, this)) {
                    frames.stop();
                }
            } else {
                message.write(buffer.array(), buffer.arrayOffset() + from, to - from);
            }
        }

        @Override
        public void onFrameEnd() {
            if (inMessage && fin) {
                if (compressed && !inflater.end(this)) {
                    frames.stop();
                    return;
                }
                if (!compressed) {
                    events.add("message " + message.toString(StandardCharsets.UTF_8));
                    message.reset();
                }
                inMessage = false;
            }
        }

        @Override
        public boolean onData(ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            message.writeBytes(bytes);
            if (last) {
                events.add("message " + message.toString(StandardCharsets.UTF_8));
                message.reset();
            }
            return true;
        }

        @Override
        public void onFailure(int closeCode, String reason) {
            events.add("fail " + closeCode);
        }

        @Override
        public void onProtocolError(int closeCode, String reason) {
            events.add("fail " + closeCode);
        }

        private void fail(int closeCode, String reason) {
            frames.stop();
            onProtocolError(closeCode, reason);
        }
    }

    @Test
    void rfc7692Section7_2_3_1_aCompressedTextFrame() {
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.receive("c1 07 f2 48 cd c9 c9 07 00");
        assertEquals(List.of("message Hello"), receiver.events);
    }

    @Test
    void rfc7692Section7_2_3_1_aCompressedMessageInTwoFramesWithRsv1OnlyOnTheFirst() {
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.receive("41 03 f2 48 cd 80 04 c9 c9 07 00");
        assertEquals(List.of("message Hello"), receiver.events);
    }

    @Test
    void aPingBetweenFragmentsIsNotInflated() {
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.receive("41 03 f2 48 cd 89 00 80 04 c9 c9 07 00");
        assertEquals(List.of("ping", "message Hello"), receiver.events);
    }

    @Test
    void uncompressedAndCompressedMessagesMix() {
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.receive("81 05 48 65 6c 6c 6f c1 07 f2 48 cd c9 c9 07 00");
        assertEquals(List.of("message Hello", "message Hello"), receiver.events);
    }

    @Test
    void rsv1OnAContinuationFrameFails1002() {
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.receive("41 03 f2 48 cd c0 04 c9 c9 07 00");
        assertEquals(List.of("fail 1002"), receiver.events);
    }

    @Test
    void rsv1OnAControlFrameFails1002() {
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.receive("c9 00");
        assertEquals(List.of("fail 1002"), receiver.events);
    }

    @Test
    void withoutTheAgreementRsv1FailsInTheFrameDecoder() {
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.frames.allowRsvBits(0);
        receiver.receive("c1 07 f2 48 cd c9 c9 07 00");
        assertEquals(List.of("fail 1002"), receiver.events);
    }

    @Test
    void ourDeflatersFramesReadBackThroughTheFrameDecoder() {
        MessageDeflater deflater = new MessageDeflater(PerMessageDeflate.builder().bufferSize(64).build(), 15, false);
        FrameEncoder encoder = new FrameEncoder(Role.SERVER);
        String text = "a message long enough to need several 60-byte frames once compressed? ".repeat(3)
                + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()";
        ByteBuffer wire = ByteBuffer.allocate(4096);
        boolean[] first = {true};
        deflater.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), (payload, last) -> {
            encoder.writeHeader(wire, false, first[0] ? 0x40 : 0, first[0] ? Opcode.TEXT : Opcode.CONTINUATION, payload.remaining());
            wire.put(payload);
            first[0] = false;
        });
        deflater.end((payload, last) -> {
            encoder.writeHeader(wire, last, first[0] ? 0x40 : 0, first[0] ? Opcode.TEXT : Opcode.CONTINUATION, payload.remaining());
            wire.put(payload);
            first[0] = false;
        });
        InflatingReceiver receiver = new InflatingReceiver();
        receiver.frames.decode(wire.flip(), receiver);
        assertEquals(List.of("message " + text), receiver.events);
    }
}
