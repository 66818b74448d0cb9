package dev.websock.conformance.deflate;

import java.util.Arrays;

/**
 * Inflates the server's permessage-deflate messages (RFC 7692 §7.2.2) with its own DEFLATE decoder (RFC 1951)
 * instead of {@code java.util.zip.Inflater}, because only a decoder that sees every back-reference can check
 * that the server kept to the LZ77 window it agreed to: a distance beyond {@code 2^server_max_window_bits}
 * (§7.1.2.1) is a failure, even though a 32 KiB inflater would decode it happily.
 *
 * <p>With context takeover the last 32 KiB of earlier messages stay available as history (§7.2.3.3); with
 * {@code server_no_context_takeover} each message starts empty (§7.1.1.1).
 *
 * <p>Not thread-safe: one per connection, used from the reading thread. Decoding is bit-by-bit (the canonical
 * Huffman decoding of RFC 1951 §3.2.2): slower than zlib, and fast enough for a conformance run.
 */
public final class WindowCheckingInflater {

    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int HISTORY = 32768;

    private static final short[] LENGTH_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    private static final byte[] LENGTH_EXTRA = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
        5, 5, 5, 5, 0};
    private static final int[] DISTANCE_BASE = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    private static final byte[] DISTANCE_EXTRA = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
        10, 11, 11, 12, 12, 13, 13};
    private static final byte[] CODE_LENGTH_ORDER = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

    private static final Huffman FIXED_LITERALS;
    private static final Huffman FIXED_DISTANCES;

    static {
        // RFC 1951 §3.2.6: the fixed literal/length and distance codes.
        int[] lengths = new int[288];
        Arrays.fill(lengths, 0, 144, 8);
        Arrays.fill(lengths, 144, 256, 9);
        Arrays.fill(lengths, 256, 280, 7);
        Arrays.fill(lengths, 280, 288, 8);
        FIXED_LITERALS = Huffman.build(lengths, 288);
        int[] distances = new int[30];
        Arrays.fill(distances, 5);
        FIXED_DISTANCES = Huffman.build(distances, 30);
    }

    private final int window;
    private final int windowBits;
    private final boolean noContextTakeover;
    private final long maxMessage;

    private final byte[] history = new byte[HISTORY];
    private int historyEnd;
    private int historyFill;
    private int largestDistance;

    // Per message.
    private byte[] in;
    private int inPos;
    private int bitBuffer;
    private int bitCount;
    private byte[] out;
    private int outLen;

    /**
     * @param parameters what the server agreed to: its window and whether it takes over context
     * @param maxMessage the largest inflated message accepted; larger fails before more memory is committed
     */
    public WindowCheckingInflater(DeflateParameters parameters, long maxMessage) {
        this.windowBits = parameters.serverMaxWindowBits();
        this.window = 1 << windowBits;
        this.noContextTakeover = parameters.serverNoContextTakeover();
        this.maxMessage = maxMessage;
    }

    /** The largest back-reference distance seen so far on this connection. */
    public int largestDistance() {
        return largestDistance;
    }

    /** Inflates one message's payload (all its frames' payloads joined), as §7.2.2 says: with 00 00 ff ff appended. */
    public byte[] inflate(byte[] compressed) throws InflateException {
        in = new byte[compressed.length + 4];
        System.arraycopy(compressed, 0, in, 0, compressed.length);
        System.arraycopy(TAIL, 0, in, compressed.length, 4);
        inPos = 0;
        bitBuffer = 0;
        bitCount = 0;
        out = new byte[Math.max(64, compressed.length * 3)];
        outLen = 0;
        int blockStart = 0;
        try {
            boolean last = false;
            while (!last && (inPos < in.length || bitCount >= 3)) {
                blockStart = inPos - (bitCount > 0 ? 1 : 0);
                last = bits(1) == 1;
                int type = bits(2);
                switch (type) {
                    case 0 -> stored();
                    case 1 -> codes(FIXED_LITERALS, FIXED_DISTANCES);
                    case 2 -> dynamic();
                    default -> throw new InflateException("block type 3 is reserved (RFC 1951 §3.2.3)", false);
                }
            }
            // After a final block (BFINAL=1) the appended tail is ignored, as zlib ignores it.
        } catch (ArrayIndexOutOfBoundsException truncated) {
            // A message that ends on a byte boundary after a complete block makes the appended 00 00 ff ff start
            // a block of its own that never completes; zlib, which §7.2.2 has in mind, stops there without error.
            // Running out of input inside a block that began in the message's own data is a truncated message.
            if (blockStart < compressed.length) {
                throw new InflateException("the compressed data ends inside a block (RFC 7692 §7.2.2)", false);
            }
        }
        byte[] message = Arrays.copyOf(out, outLen);
        remember(message);
        in = null;
        out = null;
        return message;
    }

    private void remember(byte[] message) {
        if (noContextTakeover) {
            historyFill = 0;
            historyEnd = 0;
            return;
        }
        int from = Math.max(0, message.length - HISTORY);
        for (int i = from; i < message.length; i++) {
            history[historyEnd] = message[i];
            historyEnd = (historyEnd + 1) & (HISTORY - 1);
        }
        historyFill = Math.min(HISTORY, historyFill + message.length - from);
    }

    private int bits(int need) {
        int value = bitBuffer;
        while (bitCount < need) {
            value |= (in[inPos++] & 0xff) << bitCount; // out of bounds: truncated input, caught above
            bitCount += 8;
        }
        bitBuffer = value >>> need;
        bitCount -= need;
        return value & ((1 << need) - 1);
    }

    private void stored() throws InflateException {
        bitBuffer = 0;
        bitCount = 0;
        int len = (in[inPos] & 0xff) | (in[inPos + 1] & 0xff) << 8;
        int nlen = (in[inPos + 2] & 0xff) | (in[inPos + 3] & 0xff) << 8;
        inPos += 4;
        if (len != (~nlen & 0xffff)) {
            throw new InflateException("stored block LEN and NLEN disagree (RFC 1951 §3.2.4)", false);
        }
        if (inPos + len > in.length) {
            throw new InflateException("the compressed data ends inside a stored block (RFC 7692 §7.2.2)", false);
        }
        ensure(len);
        System.arraycopy(in, inPos, out, outLen, len);
        outLen += len;
        inPos += len;
    }

    private void dynamic() throws InflateException {
        int nlen = bits(5) + 257;
        int ndist = bits(5) + 1;
        int ncode = bits(4) + 4;
        if (nlen > 286 || ndist > 30) {
            throw new InflateException("dynamic block declares " + nlen + " literal/length or " + ndist
                    + " distance codes (RFC 1951 §3.2.7)", false);
        }
        int[] lengths = new int[320];
        for (int i = 0; i < ncode; i++) {
            lengths[CODE_LENGTH_ORDER[i]] = bits(3);
        }
        Huffman lencode = Huffman.build(lengths, 19);
        int index = 0;
        Arrays.fill(lengths, 0);
        while (index < nlen + ndist) {
            int symbol = decode(lencode);
            if (symbol < 16) {
                lengths[index++] = symbol;
                continue;
            }
            int repeatValue = 0;
            int repeat;
            if (symbol == 16) {
                if (index == 0) {
                    throw new InflateException("code length repeat with no previous length (RFC 1951 §3.2.7)", false);
                }
                repeatValue = lengths[index - 1];
                repeat = 3 + bits(2);
            } else if (symbol == 17) {
                repeat = 3 + bits(3);
            } else {
                repeat = 11 + bits(7);
            }
            if (index + repeat > nlen + ndist) {
                throw new InflateException("code lengths overrun the declared count (RFC 1951 §3.2.7)", false);
            }
            while (repeat-- > 0) {
                lengths[index++] = repeatValue;
            }
        }
        if (lengths[256] == 0) {
            throw new InflateException("dynamic block has no end-of-block code (RFC 1951 §3.2.7)", false);
        }
        Huffman literals = Huffman.build(lengths, nlen);
        Huffman distances = Huffman.build(Arrays.copyOfRange(lengths, nlen, nlen + ndist), ndist);
        codes(literals, distances);
    }

    private void codes(Huffman literals, Huffman distances) throws InflateException {
        while (true) {
            int symbol = decode(literals);
            if (symbol < 256) {
                ensure(1);
                out[outLen++] = (byte) symbol;
            } else if (symbol == 256) {
                return;
            } else {
                symbol -= 257;
                if (symbol >= 29) {
                    throw new InflateException("invalid length symbol " + (symbol + 257) + " (RFC 1951 §3.2.5)", false);
                }
                int length = LENGTH_BASE[symbol] + bits(LENGTH_EXTRA[symbol]);
                int dsym = decode(distances);
                if (dsym >= 30) {
                    throw new InflateException("invalid distance symbol " + dsym + " (RFC 1951 §3.2.5)", false);
                }
                int distance = DISTANCE_BASE[dsym] + bits(DISTANCE_EXTRA[dsym]);
                copy(distance, length);
            }
        }
    }

    private void copy(int distance, int length) throws InflateException {
        if (distance > window) {
            throw new InflateException("back-reference distance " + distance + " exceeds the " + window
                    + "-byte window (server_max_window_bits=" + windowBits + ") the server agreed to (RFC 7692 §7.1.2.1)",
                    true);
        }
        if (distance > outLen + historyFill) {
            throw new InflateException("back-reference distance " + distance + " reaches before the start of the "
                    + (noContextTakeover ? "message (server_no_context_takeover, RFC 7692 §7.1.1.1)" : "stream")
                    + (outLen + historyFill == 0 ? "" : ": only " + (outLen + historyFill) + " bytes precede it"), true);
        }
        largestDistance = Math.max(largestDistance, distance);
        ensure(length);
        for (int i = 0; i < length; i++) {
            int back = distance;
            byte b;
            if (back <= outLen) {
                b = out[outLen - back];
            } else {
                b = history[(historyEnd - (back - outLen)) & (HISTORY - 1)];
            }
            out[outLen++] = b;
        }
    }

    private void ensure(int more) throws InflateException {
        long need = (long) outLen + more;
        if (need > maxMessage) {
            throw new InflateException("inflated message exceeds the runner's limit of " + maxMessage + " bytes", false);
        }
        if (need > out.length) {
            out = Arrays.copyOf(out, (int) Math.min(maxMessage, Math.max(need, (long) out.length * 2)));
        }
    }

    private int decode(Huffman h) throws InflateException {
        // Fast path: codes up to FAST_BITS long are looked up by the next FAST_BITS bits of the stream.
        while (bitCount < FAST_BITS && inPos < in.length) {
            bitBuffer |= (in[inPos++] & 0xff) << bitCount;
            bitCount += 8;
        }
        int entry = h.fast[bitBuffer & ((1 << FAST_BITS) - 1)];
        int length = entry & 0xF;
        if (length != 0 && length <= bitCount) {
            bitBuffer >>>= length;
            bitCount -= length;
            return entry >>> 4;
        }
        // RFC 1951 §3.2.2: canonical codes, read most significant bit first, one bit at a time.
        int code = 0;
        int first = 0;
        int index = 0;
        for (int len = 1; len <= 15; len++) {
            code |= bits(1);
            int count = h.count[len];
            if (code - count < first) {
                return h.symbol[index + (code - first)];
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        throw new InflateException("invalid Huffman code (RFC 1951 §3.2.2)", false);
    }

    private static final int FAST_BITS = 9;

    /**
     * A canonical Huffman code (RFC 1951 §3.2.2): code counts per length and symbols in code order, plus a table
     * indexed by the next {@link #FAST_BITS} stream bits (codes are bit-reversed on the wire) giving
     * {@code symbol << 4 | length} for every code that short, 0 otherwise.
     */
    private record Huffman(int[] count, int[] symbol, int[] fast) {

        static Huffman build(int[] lengths, int n) {
            int[] count = new int[16];
            for (int i = 0; i < n; i++) {
                count[lengths[i]]++;
            }
            int[] offs = new int[16];
            for (int len = 1; len < 15; len++) {
                offs[len + 1] = offs[len] + count[len];
            }
            int[] symbol = new int[n];
            for (int i = 0; i < n; i++) {
                if (lengths[i] != 0) {
                    symbol[offs[lengths[i]]++] = i;
                }
            }
            count[0] = 0;
            int[] fast = new int[1 << FAST_BITS];
            int[] next = new int[16];
            int code = 0;
            for (int len = 1; len < 16; len++) {
                code = (code + count[len - 1]) << 1;
                next[len] = code;
            }
            for (int i = 0; i < n; i++) {
                int len = lengths[i];
                if (len == 0) {
                    continue;
                }
                int c = next[len]++;
                if (len <= FAST_BITS && c < (1 << len)) {
                    int reversed = Integer.reverse(c) >>> (32 - len);
                    for (int k = reversed; k < (1 << FAST_BITS); k += 1 << len) {
                        fast[k] = i << 4 | len;
                    }
                }
            }
            return new Huffman(count, symbol, fast);
        }
    }
}
