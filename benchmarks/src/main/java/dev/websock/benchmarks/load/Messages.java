package dev.websock.benchmarks.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.Deflater;

/**
 * The messages of one cell, built once before it runs: {@link #COUNT} different payloads of the cell's size (English-like
 * text or random bytes), and for each the masked client frame that carries it, compressed for permessage-deflate
 * cells. The frames lie one after another in a ring, so that a connection's outgoing stream is a walk round the
 * ring: connection {@code c} sends frames {@code c, c+1, c+2, …} (mod {@link #COUNT}), and a write of up to
 * {@link #WINDOW} bytes from any point is one contiguous slice, because the ring is followed by a copy of its start.
 *
 * <p>Nothing is built per message, so the load generator allocates nothing and spends its time on the wire.
 */
final class Messages {
    /** How many different messages: prime, so the connections' walks round the ring do not line up with each other. */
    static final int COUNT = 7;
    /** The longest slice of the ring written at once. */
    static final int WINDOW = 256 * 1024;
    /** What RFC 7692 §7.2.1 strips from the end of a compressed message and the receiver appends again. */
    static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private static final String[] WORDS = ("the of and to in a is that for it as was with be by on not he this are or his"
            + " from at which but have an they you were her she there been one all we their has would when if so no"
            + " will more can said who about what other out up into time could than them only some these two may"
            + " first then do any like my now over such our man me even most made after also did many before must"
            + " through back years where much your way well down should because each just those people how too"
            + " little state good very make world still own see men work long get here between both life being under"
            + " never day same another know while last might us great old year off come since against go came right"
            + " used take three message server socket frame latency window buffer stream close ping pong").split(" ");

    private final Cell cell;
    private final ByteBuffer ring;
    private final int ringLength;
    private final int[] frameStart = new int[COUNT];
    private final ByteBuffer[] payloads = new ByteBuffer[COUNT];

    Messages(Cell cell, long seed) {
        this.cell = cell;
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] frames = new byte[COUNT][];
        int total = 0;
        for (int k = 0; k < COUNT; k++) {
            byte[] payload = cell.text() ? text(random, cell.size()) : bytes(random, cell.size());
            payloads[k] = ByteBuffer.allocateDirect(payload.length).put(payload).flip().asReadOnlyBuffer();
            frames[k] = frame(cell.text() ? 1 : 2, cell.deflate() ? compress(payload) : payload, cell.deflate(),
                    random.nextInt());
            frameStart[k] = total;
            total += frames[k].length;
        }
        ringLength = total;
        ByteBuffer ring = ByteBuffer.allocateDirect(total + WINDOW);
        for (byte[] frame : frames) {
            ring.put(frame);
        }
        for (int i = 0; i < WINDOW; i++) {
            ring.put(ring.get(i % total));
        }
        this.ring = ring.clear().asReadOnlyBuffer();
    }

    Cell cell() {
        return cell;
    }

    /** The ring's length, without the copy of its start. */
    int ringLength() {
        return ringLength;
    }

    /** Where frame {@code k} starts in the ring. */
    int frameStart(int k) {
        return frameStart[k];
    }

    int frameLength(int k) {
        return (k + 1 < COUNT ? frameStart[k + 1] : ringLength) - frameStart[k];
    }

    /** A view of the ring for one connection's writes (read-only; position and limit are the caller's). */
    ByteBuffer ringView() {
        return ring.duplicate();
    }

    /** The payload of message {@code k}, read-only, position 0 to its size; the caller owns the view's position and limit. */
    ByteBuffer payloadView(int k) {
        return payloads[k].duplicate();
    }

    /** A masked client frame (RFC 6455 §5.2) with FIN set; RSV1 marks a compressed message (RFC 7692 §6). */
    static byte[] frame(int opcode, byte[] payload, boolean compressed, int maskKey) {
        int length = payload.length;
        int lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
        byte[] frame = new byte[2 + lengthBytes + 4 + length];
        frame[0] = (byte) (0x80 | (compressed ? 0x40 : 0) | opcode);
        int at = 2;
        if (lengthBytes == 0) {
            frame[1] = (byte) (0x80 | length);
        } else if (lengthBytes == 2) {
            frame[1] = (byte) (0x80 | 126);
            frame[at++] = (byte) (length >>> 8);
            frame[at++] = (byte) length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame[at++] = (byte) ((long) length >>> shift);
            }
        }
        byte[] mask = {(byte) (maskKey >>> 24), (byte) (maskKey >>> 16), (byte) (maskKey >>> 8), (byte) maskKey};
        System.arraycopy(mask, 0, frame, at, 4);
        at += 4;
        for (int i = 0; i < length; i++) {
            frame[at + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }

    /**
     * One message compressed on its own (RFC 7692 §7.2.1): raw deflate, flushed with a sync flush, the final
     * {@code 00 00 ff ff} removed. A message compressed with a fresh context never refers to an earlier one, so
     * the server can inflate it whether or not the client keeps its context: the offer need not ask for
     * {@code client_no_context_takeover}.
     */
    static byte[] compress(byte[] payload) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(payload);
            byte[] out = new byte[payload.length + 1024];
            int length = 0;
            while (true) {
                int n = deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
                length += n;
                if (length < out.length) {
                    break;
                }
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            if (length < 4 || out[length - 4] != 0 || out[length - 3] != 0 || out[length - 2] != (byte) 0xff
                    || out[length - 1] != (byte) 0xff) {
                throw new IllegalStateException("a sync flush did not end with 00 00 ff ff");
            }
            return java.util.Arrays.copyOf(out, length - 4);
        } finally {
            deflater.end();
        }
    }

    /** English-like ASCII prose of exactly {@code size} bytes: common words, spaces, an occasional full stop. */
    static byte[] text(SplittableRandom random, int size) {
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            String word = WORDS[(int) Math.min(WORDS.length - 1, Math.abs(random.nextGaussian()) * WORDS.length / 3)];
            text.append(word).append(random.nextInt(12) == 0 ? ". " : " ");
        }
        text.setLength(size);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(SplittableRandom random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
