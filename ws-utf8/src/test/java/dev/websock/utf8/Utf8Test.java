package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.kernel.KernelProbe;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Utf8} one-shot: regions by absolute index, nothing outside them read, bad indices rejected. */
class Utf8Test {

    @ParameterizedTest
    @EnumSource(Container.class)
    void onlyTheRegionCounts(Container container) {
        // The region is valid; the garbage around it (stray continuations) is not.
        byte[] text = "a€😀b".getBytes(StandardCharsets.UTF_8);
        Container.Placed placed = container.place(text, 5, 5);
        assertEquals(-1, placed.firstInvalid(5, 5 + text.length));
        assertEquals(-1, placed.firstInvalid(5, 5), "an empty region");
        assertEquals(-1, placed.firstInvalid(0, 0));
        assertEquals(4, placed.firstInvalid(4, 5 + text.length), "one byte earlier: the garbage byte");
        assertEquals(5 + text.length - 2, placed.firstInvalid(5, 5 + text.length - 2), "inside 😀: truncated");
        assertFalse(placed.isValid(5, 5 + text.length + 1));
        assertTrue(placed.isValid(5, 6));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void badIndicesThrow(Container container) {
        Container.Placed placed = container.place(new byte[10], 0, 0);
        for (int[] region : new int[][] {{-1, 2}, {3, 2}, {0, 11}, {11, 11}}) {
            assertThrows(IndexOutOfBoundsException.class, () -> placed.firstInvalid(region[0], region[1]),
                    () -> container + " " + Arrays.toString(region));
            assertThrows(IndexOutOfBoundsException.class, () -> placed.isValid(region[0], region[1]));
            assertThrows(IndexOutOfBoundsException.class, () -> placed.feed(new Utf8Validator(), region[0],
                    region[1]));
        }
    }

    @Test
    void buffersAreBoundedByTheirLimitAndKeepPositionAndLimit() {
        for (ByteBuffer buffer : new ByteBuffer[] {ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64)}) {
            buffer.position(3).limit(40);
            assertThrows(IndexOutOfBoundsException.class, () -> Utf8.firstInvalid(buffer, 0, 41));
            assertThrows(IndexOutOfBoundsException.class, () -> Utf8.isValid(buffer, 39, 41));
            assertEquals(-1, Utf8.firstInvalid(buffer, 0, 40), "below the position counts too: indices are absolute");
            buffer.put(1, (byte) 0xFF);
            assertEquals(1, Utf8.firstInvalid(buffer, 0, 40));
            assertEquals(3, buffer.position());
            assertEquals(40, buffer.limit());
        }
    }

    @Test
    void longRegionsReportAbsoluteIndicesInEveryContainerAtEveryOffset() {
        // Long enough for several vector blocks, at offsets that shift the blocks against the error.
        int vl = KernelProbe.vectorLength();
        byte[] text = ("Příliš žluťoučký kůň úpěl ďábelské ódy 😀 " + "x".repeat(vl))
                .getBytes(StandardCharsets.UTF_8);
        byte[] broken = text.clone();
        broken[text.length - vl / 2] = (byte) 0xC0;
        for (Container container : Container.values()) {
            for (int offset = 0; offset <= vl; offset += 3) {
                Container.Placed good = container.place(text, offset, 1);
                Container.Placed bad = container.place(broken, offset, 1);
                assertEquals(-1, good.firstInvalid(offset, offset + text.length), container + " at " + offset);
                assertEquals(offset + text.length - vl / 2, bad.firstInvalid(offset, offset + text.length),
                        container + " at " + offset);
            }
        }
    }

    @Test
    void segmentsTakeLongIndices() {
        MemorySegment segment = MemorySegment.ofArray(Rfc3629.hex("41 42 E2 82"));
        assertEquals(4L, Utf8.firstInvalid(segment, 0L, 4L));
        assertEquals(-1L, Utf8.firstInvalid(segment, 0L, 2L));
        assertThrows(IndexOutOfBoundsException.class, () -> Utf8.firstInvalid(segment, 0L, 5L));
    }

    @Test
    void theKernelNameSaysWhichKernelRuns() {
        assertTrue(Utf8.kernelName().equals("scalar") || Utf8.kernelName().matches("vector-(128|256|512)"),
                Utf8.kernelName());
    }
}
