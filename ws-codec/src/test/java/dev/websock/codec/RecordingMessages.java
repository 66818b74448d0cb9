package dev.websock.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A {@link MessageHandler} that writes down what it is told, as readable lines. */
final class RecordingMessages implements MessageHandler {

    final List<String> events = new ArrayList<>();
    /** Every text byte delivered, in order: streaming pieces may split code points. */
    final java.io.ByteArrayOutputStream textBytes = new java.io.ByteArrayOutputStream();

    @Override
    public void onMessageData(int opcode, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        if (opcode == Opcode.TEXT) {
            textBytes.writeBytes(bytes);
        }
        String shown = opcode == Opcode.TEXT ? new String(bytes, StandardCharsets.UTF_8) : HexFormat.of().formatHex(bytes);
        events.add(Opcode.name(opcode) + (last ? " last " : " part ") + shown);
    }

    @Override
    public void onPing(ByteBuffer data) {
        events.add("ping " + StandardCharsets.UTF_8.decode(data.duplicate()));
    }

    @Override
    public void onPong(ByteBuffer data) {
        events.add("pong " + StandardCharsets.UTF_8.decode(data.duplicate()));
    }

    @Override
    public void onClose(int code, String reason) {
        events.add("close " + code + " " + reason);
    }

    @Override
    public void onProtocolError(int closeCode, String reason) {
        events.add("error " + closeCode + " " + reason);
    }

    String last() {
        return events.getLast();
    }
}
