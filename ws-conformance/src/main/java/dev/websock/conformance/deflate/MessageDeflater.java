package dev.websock.conformance.deflate;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * Compresses the runner's messages for permessage-deflate (RFC 7692 §7.2.1) with {@code java.util.zip}.
 *
 * <p>{@code java.util.zip} cannot choose its LZ77 window: it always uses 32 KiB. When the server limited the
 * client's window below 15 bits (§7.1.2.2), the runner compresses with {@link Deflater#HUFFMAN_ONLY}, which emits
 * no back-references at all and so fits any window.
 *
 * <p>Not thread-safe: one per connection.
 */
public final class MessageDeflater implements AutoCloseable {

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final boolean noContextTakeover;
    private final byte[] chunk = new byte[16384];

    public MessageDeflater(DeflateParameters parameters) {
        this.noContextTakeover = parameters.clientNoContextTakeover();
        if (parameters.clientMaxWindowBits() < 15) {
            deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        }
    }

    /** The compressed payload of one message, without the trailing {@code 00 00 ff ff} (§7.2.1). */
    public byte[] compress(byte[] message) {
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length / 2 + 64);
        int n;
        // SYNC_FLUSH ends on a byte boundary with an empty stored block. Loop until all input is taken and the
        // output was not full: the first call after setStrategy may only apply the new parameters.
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length || !deflater.needsInput());
        byte[] compressed = out.toByteArray();
        int len = compressed.length;
        if (len >= 4 && compressed[len - 4] == 0 && compressed[len - 3] == 0 && compressed[len - 2] == (byte) 0xff
                && compressed[len - 1] == (byte) 0xff) {
            len -= 4;
        }
        if (noContextTakeover) {
            // §7.1.1.2: with client_no_context_takeover the next message must not refer to this one.
            deflater.reset();
        }
        return java.util.Arrays.copyOf(compressed, len);
    }

    @Override
    public void close() {
        deflater.end();
    }
}
