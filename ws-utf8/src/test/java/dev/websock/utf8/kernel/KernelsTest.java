package dev.websock.utf8.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.utf8.Utf8;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the kernel is chosen: {@value Kernels#KERNEL_PROPERTY} = auto, vector or scalar. */
class KernelsTest {

    @Test
    void scalarSelectsTheScalarKernel() {
        assertSame(ScalarKernel.INSTANCE, Kernels.select("scalar"));
        assertEquals("scalar", Kernels.select("scalar").name());
    }

    @Test
    void vectorSelectsTheVectorKernelWhenTheVectorApiIsThere() {
        // The test JVMs run with --add-modules jdk.incubator.vector (the parent POM's argLine).
        assertSame(VectorKernel.INSTANCE, Kernels.select("vector"));
        assertTrue(Kernels.select("vector").name().startsWith("vector-"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", ""})
    void autoPrefersTheVectorKernel(String choice) {
        assertSame(VectorKernel.INSTANCE, Kernels.select(choice));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simd", "Scalar", "vector-512", "none", "auto vector"})
    void anythingElseIsRejectedWithAMessageNamingTheProperty(String choice) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.select(choice));
        assertTrue(e.getMessage().contains(Kernels.KERNEL_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains(choice), e.getMessage());
        assertEquals("dev.websock.utf8.kernel", Kernels.KERNEL_PROPERTY);
    }

    @Test
    void theActiveKernelIsTheOneThePropertyAsksFor() {
        String choice = System.getProperty(Kernels.KERNEL_PROPERTY, "auto");
        assertSame(Kernels.select(choice), Kernels.ACTIVE);
        assertEquals(Kernels.ACTIVE.name(), Utf8.kernelName());
    }
}
