package dev.websock.utf8.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.ByteVector;
import org.junit.jupiter.api.Test;

/**
 * The vector width in effect is the one this JVM was asked for. The surefire executions for 256 and 128 bits set
 * {@code websock.test.expectedVectorBits} besides {@value VectorKernel#VECTOR_BITS_PROPERTY}: if the property
 * did not reach the JVM (an argLine that lost it), the kernel runs at the default width and this test fails.
 */
class VectorKernelSpeciesTest {

    static final String EXPECTED_BITS_PROPERTY = "websock.test.expectedVectorBits";

    private static int expectedBits() {
        String expected = System.getProperty(EXPECTED_BITS_PROPERTY,
                System.getProperty(VectorKernel.VECTOR_BITS_PROPERTY));
        return expected == null || expected.isBlank()
                ? ByteVector.SPECIES_PREFERRED.vectorBitSize()
                : Integer.parseInt(expected.trim());
    }

    @Test
    void theKernelRunsAtTheRequestedWidth() {
        int bits = expectedBits();
        assertEquals("vector-" + bits, VectorKernel.INSTANCE.name());
        assertEquals(bits / 8, VectorKernel.SPECIES.length());
        assertEquals(bits / 8, KernelProbe.vectorLength());
    }

    @Test
    void theRequestedWidthReachedTheJvm() {
        String expected = System.getProperty(EXPECTED_BITS_PROPERTY);
        if (expected != null) {
            assertEquals(expected, System.getProperty(VectorKernel.VECTOR_BITS_PROPERTY),
                    "the execution expects this width; its argLine must pass " + VectorKernel.VECTOR_BITS_PROPERTY);
        } else {
            assertEquals(expectedBits(), VectorKernel.SPECIES.vectorBitSize());
        }
    }
}
