package dev.websock.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes frames byte by byte from the RFC's layout, independently of {@link FrameEncoder}, so that a bug in
 * the encoder cannot hide one in the decoder; and feeds bytes to decoders in chosen chunkings.
 */
final class Wire {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final boolean masked;
    private final Random random = new Random(42);

    private Wire(boolean masked) {
        this.masked = masked;
    }

    /** Frames as a client sends them: masked. */
    static Wire fromClient() {
        return new Wire(true);
    }

    /** Frames as a server sends them: unmasked. */
    static Wire fromServer() {
        return new Wire(false);
    }

    Wire frame(boolean fin, int rsv, int opcode, byte[] payload) {
        return frame(fin, rsv, opcode, payload, minimalLengthBytes(payload.length));
    }

    /** A frame whose length is written in {@code lengthBytes} (0 = 7-bit, 2 = 16-bit, 8 = 64-bit), minimal or not. */
    Wire frame(boolean fin, int rsv, int opcode, byte[] payload, int lengthBytes) {
        bytes.write((fin ? 0x80 : 0) | rsv | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (lengthBytes == 0) {
            bytes.write(maskBit | payload.length);
        } else if (lengthBytes == 2) {
            bytes.write(maskBit | 126);
            bytes.write(payload.length >>> 8);
            bytes.write(payload.length);
        } else {
            bytes.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] key = new byte[4];
        if (masked) {
            random.nextBytes(key);
            bytes.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            bytes.write(payload[i] ^ key[i & 3]);
        }
        return this;
    }

    Wire text(String text) {
        return frame(true, 0, Opcode.TEXT, utf8(text));
    }

    Wire binary(byte[] data) {
        return frame(true, 0, Opcode.BINARY, data);
    }

    Wire close(int code, String reason) {
        byte[] r = utf8(reason);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        return frame(true, 0, Opcode.CLOSE, payload);
    }

    /** Raw bytes, for headers no well-behaved writer would produce. */
    Wire raw(int... octets) {
        for (int octet : octets) {
            bytes.write(octet);
        }
        return this;
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    static int minimalLengthBytes(int length) {
        return length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Splits a copy of {@code data} into consecutive chunks of the given sizes (cycled), each in a fresh buffer. */
    static List<ByteBuffer> chunks(byte[] data, int... sizes) {
        List<ByteBuffer> out = new ArrayList<>();
        byte[] copy = data.clone();
        int at = 0;
        for (int i = 0; at < data.length; i++) {
            int size = Math.min(sizes[i % sizes.length], data.length - at);
            out.add(ByteBuffer.wrap(copy, at, size).slice());
            at += size;
        }
        return out;
    }

    /** Random chunk sizes from 1 to {@code max}. */
    static List<ByteBuffer> randomChunks(byte[] data, Random random, int max) {
        List<ByteBuffer> out = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            int size = Math.min(1 + random.nextInt(max), data.length - at);
            // Copy into a direct buffer now and then: the decoders must not care (but direct buffers are slow to make).
            ByteBuffer chunk = random.nextInt(8) == 0 ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
            chunk.put(data, at, size).flip();
            out.add(chunk);
            at += size;
        }
        return out;
    }
}
