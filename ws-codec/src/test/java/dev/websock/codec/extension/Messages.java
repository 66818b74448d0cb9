package dev.websock.codec.extension;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: run messages through the transforms and collect what comes out. */
final class Messages {

    private Messages() {}

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** Frame payloads a deflater produced for one message; checks that only the last may be empty and it comes last. */
    static final class Frames implements OutboundTransform.Output {
        final List<byte[]> payloads = new ArrayList<>();
        boolean ended;

        @Override
        public void onData(ByteBuffer payload, boolean last) {
            assertFalse(ended, "a frame payload came after the last one");
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            assertTrue(last || bytes.length > 0, "only the last frame payload may be empty");
            payloads.add(bytes);
            ended = last;
        }

        byte[] joined() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            payloads.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }

    /** Compresses {@code message} as one call to feed and one to end. */
    static Frames deflate(MessageDeflater deflater, byte[] message) {
        return deflate(deflater, message, List.of(Integer.MAX_VALUE), false);
    }

    /** Compresses {@code message}, fed in pieces of the given sizes (in turn, repeated), from a heap or direct buffer. */
    static Frames deflate(MessageDeflater deflater, byte[] message, List<Integer> pieces, boolean direct) {
        Frames frames = new Frames();
        ByteBuffer all = direct ? ByteBuffer.allocateDirect(message.length).put(message).flip() : ByteBuffer.wrap(message);
        int at = 0;
        int p = 0;
        while (at < message.length) {
            int n = Math.min(pieces.get(p++ % pieces.size()), message.length - at);
            ByteBuffer piece = all.duplicate().limit(at + n).position(at);
            deflater.feed(piece, frames);
            assertFalse(piece.hasRemaining(), "feed must consume the whole piece");
            at += n;
        }
        deflater.end(frames);
        assertTrue(frames.ended, "end must produce the last frame payload");
        return frames;
    }

    /** What an inflater handed out for one message, and how it ended. */
    static final class Inflated implements InboundTransform.Output {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int pieces;
        boolean last;
        int closeCode;
        String reason;
        long stopAfter = Long.MAX_VALUE;

        @Override
        public boolean onData(ByteBuffer piece, boolean last) {
            assertFalse(this.last, "data came after the last piece");
            pieces++;
            byte[] bytes = new byte[piece.remaining()];
            piece.get(bytes);
            data.writeBytes(bytes);
            this.last = last;
            return data.size() < stopAfter;
        }

        @Override
        public void onFailure(int closeCode, String reason) {
            assertTrue(this.closeCode == 0, "a second failure");
            this.closeCode = closeCode;
            this.reason = reason;
        }

        byte[] bytes() {
            return data.toByteArray();
        }
    }

    /** Inflates one message given as frame payloads, each fed whole; returns the outcome (check its closeCode). */
    static Inflated inflate(MessageInflater inflater, List<byte[]> payloads) {
        Inflated out = new Inflated();
        for (byte[] payload : payloads) {
            if (!inflater.feed(ByteBuffer.wrap(payload), 0, payload.length, out)) {
                return out;
            }
        }
        inflater.end(out);
        return out;
    }

    /** Inflates one message given as one payload. */
    static Inflated inflate(MessageInflater inflater, byte[] payload) {
        return inflate(inflater, List.of(payload));
    }

    /** Inflates one message fed in pieces of the given sizes (in turn, repeated), from inside a larger buffer. */
    static Inflated inflateInPieces(MessageInflater inflater, byte[] payload, List<Integer> pieces) {
        Inflated out = new Inflated();
        // Surround the payload with other bytes: the inflater must read only [from, to).
        ByteBuffer buffer = ByteBuffer.allocate(payload.length + 16);
        buffer.put(0, (byte) 0x55).put(8, payload).put(payload.length + 8, (byte) 0xAA);
        buffer.position(3).limit(payload.length + 12);
        int at = 0;
        int p = 0;
        while (at < payload.length) {
            int n = Math.min(pieces.get(p++ % pieces.size()), payload.length - at);
            if (!inflater.feed(buffer, 8 + at, 8 + at + n, out)) {
                return out;
            }
            if (buffer.position() != 3 || buffer.limit() != payload.length + 12) {
                throw new AssertionError("feed moved the caller's position or limit");
            }
            at += n;
        }
        inflater.end(out);
        return out;
    }
}
