package dev.websock.conformance.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    /** RFC 6455 §5.7: a single-frame unmasked text message "Hello". */
    @Test
    void readsTheRfcUnmaskedHelloExample() throws Exception {
        List<Frame> frames = new FrameReader(1 << 20).feed(Bytes.hex("810548656c6c6f"), 0, 7);
        assertEquals(List.of(new Frame(true, 0, Opcode.TEXT, false, Bytes.utf8("Hello"))), frames);
    }

    /** RFC 6455 §5.7: the masked "Hello", unmasked by the reader. */
    @Test
    void unmasksTheRfcMaskedHelloExample() throws Exception {
        byte[] octets = Bytes.hex("818537fa213d7f9f4d5158");
        List<Frame> frames = new FrameReader(1 << 20).feed(octets, 0, octets.length);
        assertEquals(1, frames.size());
        assertTrue(frames.get(0).masked());
        assertArrayEquals(Bytes.utf8("Hello"), frames.get(0).payload());
    }

    /** RFC 6455 §5.7: fragmented unmasked text message "Hel" + "lo". */
    @Test
    void readsFragmentsOneOctetAtATime() throws Exception {
        byte[] octets = Bytes.hex("010348656c80026c6f");
        FrameReader reader = new FrameReader(1 << 20);
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < octets.length; i++) {
            frames.addAll(reader.feed(octets, i, 1));
            assertEquals(i < 4 ? 0 : i < octets.length - 1 ? 1 : 2, frames.size(), "frames after octet " + i);
        }
        assertEquals(2, frames.size());
        assertFalse(frames.get(0).fin());
        assertEquals(Opcode.CONTINUATION, frames.get(1).opcode());
    }

    @Test
    void readsAnEmptyFrameAsSoonAsItsHeaderIsComplete() throws Exception {
        FrameReader reader = new FrameReader(10);
        assertEquals(List.of(), reader.feed(Bytes.hex("89"), 0, 1));
        assertEquals(1, reader.feed(Bytes.hex("00"), 0, 1).size());
    }

    @Test
    void rejectsA64BitLengthWithTheHighBitSet() {
        byte[] octets = Bytes.hex("827f8000000000000000");
        assertThrows(MalformedFrameException.class, () -> new FrameReader(Long.MAX_VALUE).feed(octets, 0, octets.length));
    }

    @Test
    void rejectsANonMinimalLengthEncoding() {
        byte[] octets = Bytes.hex("827e0005");
        assertThrows(MalformedFrameException.class, () -> new FrameReader(1 << 20).feed(octets, 0, octets.length));
    }

    @Test
    void rejectsAFrameAboveTheLimitBeforeAllocatingIt() {
        byte[] octets = Bytes.hex("827f0000000100000000");
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> new FrameReader(64 << 20).feed(octets, 0, octets.length));
        assertTrue(e.getMessage().contains("4294967296"), e.getMessage());
    }

    @Property(tries = 200)
    void writerAndReaderRoundTripInAnyChunking(@ForAll @Size(max = 70_000) byte[] payload,
                                               @ForAll @IntRange(min = 0, max = 15) int opcode,
                                               @ForAll @IntRange(min = 0, max = 7) int rsv, @ForAll boolean fin,
                                               @ForAll boolean masked, @ForAll @IntRange(min = 1, max = 5000) int chunk)
            throws Exception {
        Frame frame = new Frame(fin, rsv, opcode, masked, payload);
        byte[] octets = new FrameWriter(RandomGenerator.getDefault()).encode(frame);
        FrameReader reader = new FrameReader(1 << 20);
        List<Frame> frames = new ArrayList<>();
        for (int at = 0; at < octets.length; at += chunk) {
            frames.addAll(reader.feed(octets, at, Math.min(chunk, octets.length - at)));
        }
        assertEquals(List.of(frame), frames);
        assertTrue(reader.atFrameBoundary());
    }
}
