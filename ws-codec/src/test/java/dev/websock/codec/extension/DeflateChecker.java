package dev.websock.codec.extension;

import java.util.Arrays;

/**
 * A DEFLATE decoder written from RFC 1951 for tests: it decodes permessage-deflate messages (payload plus the
 * appended {@code 00 00 ff ff}) one after the other, as one stream or a new stream per message, and records
 * the longest back-reference distance it met. {@code java.util.zip.Inflater} reads any window up to 15 bits, so
 * only a decoder that looks at every distance can prove a compressor kept to a smaller window (RFC 7692
 * §7.1.2). It throws {@link IllegalStateException} on anything that is not valid DEFLATE, including a distance
 * reaching before the start of the stream.
 */
final class DeflateChecker {

    // RFC 1951 §3.2.5.
    private static final int[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
        67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final int[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final int[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    // RFC 1951 §3.2.7: the order code length code lengths are sent in.
    private static final int[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private static final Huffman FIXED_LITERALS;
    private static final Huffman FIXED_DISTANCES;

    static {
        int[] lengths = new int[288];
        Arrays.fill(lengths, 0, 144, 8);
        Arrays.fill(lengths, 144, 256, 9);
        Arrays.fill(lengths, 256, 280, 7);
        Arrays.fill(lengths, 280, 288, 8);
        FIXED_LITERALS = new Huffman(lengths);
        int[] distances = new int[30];
        Arrays.fill(distances, 5);
        FIXED_DISTANCES = new Huffman(distances);
    }

    private byte[] history = new byte[1024];
    private int size;
    private int streamStart;
    private int maxDistance;
    private boolean referencedEarlierMessage;

    // The message being decoded.
    private byte[] in;
    private int bitPosition;

    /** The longest distance of any back-reference so far. */
    int maxDistance() {
        return maxDistance;
    }

    /** Whether a back-reference reached into an earlier message (context takeover used). */
    boolean referencedEarlierMessage() {
        return referencedEarlierMessage;
    }

    /** Decodes one message: its payload with {@code 00 00 ff ff} appended (RFC 7692 §7.2.2). */
    byte[] message(byte[] payload, boolean newStream) {
        if (newStream) {
            streamStart = size;
        }
        int messageStart = size;
        in = Arrays.copyOf(payload, payload.length + 4);
        in[payload.length + 2] = (byte) 0xFF;
        in[payload.length + 3] = (byte) 0xFF;
        bitPosition = 0;
        while (bitPosition < in.length * 8) {
            boolean last = bits(1) == 1;
            int type = bits(2);
            switch (type) {
                case 0 -> stored();
                case 1 -> compressed(FIXED_LITERALS, FIXED_DISTANCES, messageStart);
                case 2 -> dynamic(messageStart);
                default -> throw new IllegalStateException("block type 3 is reserved (RFC 1951 §3.2.3)");
            }
            if (last) {
                streamStart = size; // the stream ended: what follows starts a new one
                break;
            }
        }
        return Arrays.copyOfRange(history, messageStart, size);
    }

    private void stored() {
        bitPosition = (bitPosition + 7) & ~7;
        int length = bits(16);
        int complement = bits(16);
        if ((length ^ 0xFFFF) != complement) {
            throw new IllegalStateException("stored block LEN and NLEN do not match");
        }
        int at = bitPosition / 8;
        if (at + length > in.length) {
            throw new IllegalStateException("stored block runs past the message");
        }
        for (int k = 0; k < length; k++) {
            write(in[at + k]);
        }
        bitPosition += length * 8;
    }

    private void dynamic(int messageStart) {
        int literalCount = bits(5) + 257;
        int distanceCount = bits(5) + 1;
        int codeLengthCount = bits(4) + 4;
        int[] codeLengthLengths = new int[19];
        for (int i = 0; i < codeLengthCount; i++) {
            codeLengthLengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman codeLengths = new Huffman(codeLengthLengths);
        int[] lengths = new int[literalCount + distanceCount];
        int i = 0;
        while (i < lengths.length) {
            int symbol = codeLengths.decode(this);
            if (symbol < 16) {
                lengths[i++] = symbol;
            } else {
                int repeat;
                int value = 0;
                if (symbol == 16) {
                    if (i == 0) {
                        throw new IllegalStateException("code length 16 with no previous length");
                    }
                    value = lengths[i - 1];
                    repeat = 3 + bits(2);
                } else if (symbol == 17) {
                    repeat = 3 + bits(3);
                } else {
                    repeat = 11 + bits(7);
                }
                if (i + repeat > lengths.length) {
                    throw new IllegalStateException("code lengths repeat past their count");
                }
                Arrays.fill(lengths, i, i + repeat, value);
                i += repeat;
            }
        }
        compressed(new Huffman(Arrays.copyOfRange(lengths, 0, literalCount)),
                new Huffman(Arrays.copyOfRange(lengths, literalCount, lengths.length)), messageStart);
    }

    private void compressed(Huffman literals, Huffman distances, int messageStart) {
        while (true) {
            int symbol = literals.decode(this);
            if (symbol < 256) {
                write((byte) symbol);
            } else if (symbol == 256) {
                return;
            } else {
                int index = symbol - 257;
                if (index >= 29) {
                    throw new IllegalStateException("length symbol " + symbol + " is invalid");
                }
                int length = LENGTH_BASE[index] + bits(LENGTH_EXTRA[index]);
                int distanceSymbol = distances.decode(this);
                if (distanceSymbol >= 30) {
                    throw new IllegalStateException("distance symbol " + distanceSymbol + " is invalid");
                }
                int distance = DISTANCE_BASE[distanceSymbol] + bits(DISTANCE_EXTRA[distanceSymbol]);
                int at = size;
                if (distance > at - streamStart) {
                    throw new IllegalStateException("distance " + distance + " reaches before the start of the stream");
                }
                maxDistance = Math.max(maxDistance, distance);
                if (distance > at - messageStart) {
                    referencedEarlierMessage = true;
                }
                for (int k = 0; k < length; k++) {
                    write(history[at - distance + k]); // overlapping copies repeat, as RFC 1951 §3.2.3 says
                }
            }
        }
    }

    private void write(byte b) {
        if (size == history.length) {
            history = Arrays.copyOf(history, history.length * 2);
        }
        history[size++] = b;
    }

    /** Reads {@code n} bits, least significant first (RFC 1951 §3.1.1). */
    int bits(int n) {
        int value = 0;
        for (int i = 0; i < n; i++) {
            int byteIndex = bitPosition >>> 3;
            if (byteIndex >= in.length) {
                throw new IllegalStateException("DEFLATE data ends inside a block");
            }
            value |= ((in[byteIndex] >>> (bitPosition & 7)) & 1) << i;
            bitPosition++;
        }
        return value;
    }

    /** A canonical Huffman code (RFC 1951 §3.2.2), decoded a bit at a time. */
    private static final class Huffman {
        private final int[] countPerLength = new int[16];
        private final int[] symbolsByCode;

        Huffman(int[] lengths) {
            for (int length : lengths) {
                countPerLength[length]++;
            }
            countPerLength[0] = 0;
            int[] offsets = new int[16];
            for (int len = 1; len < 16; len++) {
                offsets[len] = offsets[len - 1] + countPerLength[len - 1];
            }
            symbolsByCode = new int[lengths.length];
            for (int symbol = 0; symbol < lengths.length; symbol++) {
                if (lengths[symbol] != 0) {
                    symbolsByCode[offsets[lengths[symbol]]++] = symbol;
                }
            }
        }

        int decode(DeflateChecker reader) {
            int code = 0;
            int first = 0;
            int index = 0;
            for (int len = 1; len < 16; len++) {
                code |= reader.bits(1);
                int count = countPerLength[len];
                if (code - first < count) {
                    return symbolsByCode[index + code - first];
                }
                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }
            throw new IllegalStateException("no Huffman code matches");
        }
    }
}
