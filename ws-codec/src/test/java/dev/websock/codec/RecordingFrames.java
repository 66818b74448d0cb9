package dev.websock.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A {@link FrameHandler} that writes down what it is told, as readable lines. */
final class RecordingFrames implements FrameHandler {

    final List<String> events = new ArrayList<>();
    private final java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();

    @Override
    public void onFrameStart(boolean fin, int rsv, int opcode, long payloadLength) {
        events.add("start " + Opcode.name(opcode) + (fin ? " fin" : "") + (rsv != 0 ? " rsv=" + Integer.toHexString(rsv) : "")
                + " len=" + payloadLength);
    }

    @Override
    public void onFramePayload(ByteBuffer buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            payload.write(buffer.get(i));
        }
    }

    @Override
    public void onFrameEnd() {
        events.add("end " + HexFormat.of().formatHex(payload.toByteArray()));
        payload.reset();
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        events.add("error " + closeCode + " " + reason);
    }

    /** Decodes {@code chunks} in order with {@code decoder}. */
    RecordingFrames feed(FrameDecoder decoder, List<ByteBuffer> chunks) {
        for (ByteBuffer chunk : chunks) {
            decoder.decode(chunk, this);
            if (chunk.hasRemaining()) {
                throw new AssertionError("decode left " + chunk.remaining() + " bytes unconsumed");
            }
        }
        return this;
    }

    String last() {
        return events.getLast();
    }
}
