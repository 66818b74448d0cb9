package dev.websock.osgitests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.osgitests.EmbeddedFelix.VectorExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs the websock bundles from the test class path in an embedded Apache Felix, resolves and starts them,
 * and uses each from a probe bundle built at test time (see {@link ProbedBundle}).
 */
class WebsockBundlesInFelixTest {

    private static final String UTF8 = "dev.websock.utf8";

    @Test
    void everyWebsockBundleOnTheClassPathHasAProbe() throws IOException {
        List<String> probed = ProbedBundle.ALL.stream().map(ProbedBundle::symbolicName).sorted().toList();
        assertEquals(probed, List.copyOf(EmbeddedFelix.websockBundlesOnClassPath().keySet()),
                "websock bundles on the test class path vs. ProbedBundle.ALL");
    }

    @ParameterizedTest
    @EnumSource(VectorExport.class)
    void everyBundleResolvesAndStarts(VectorExport vectorExport, @TempDir Path temp) throws Exception {
        try (EmbeddedFelix felix = EmbeddedFelix.start(temp.resolve("storage"), vectorExport)) {
            List<Bundle> bundles = felix.install(EmbeddedFelix.websockBundlesOnClassPath().values());
            assertFalse(bundles.isEmpty(), "no websock bundle on the test class path");

            felix.framework().adapt(FrameworkWiring.class).resolveBundles(bundles);
            assertAll(bundles.stream().map(bundle -> () -> assertEquals(Bundle.RESOLVED, bundle.getState(),
                    () -> bundle.getSymbolicName() + " did not resolve: " + EmbeddedFelix.resolutionError(bundle))));

            for (Bundle bundle : bundles) {
                bundle.start();
            }
            assertAll(bundles.stream().map(bundle -> () -> assertEquals(Bundle.ACTIVE, bundle.getState(),
                    bundle.getSymbolicName() + " state")));
            assertEquals(List.of(), felix.problems(), "framework errors and warnings");
        }
    }

    @ParameterizedTest
    @EnumSource(VectorExport.class)
    void everyProbeUsesItsBundleThroughItsImports(VectorExport vectorExport, @TempDir Path temp) throws Exception {
        try (EmbeddedFelix felix = EmbeddedFelix.start(temp.resolve("storage"), vectorExport)) {
            Map<String, Bundle> websock = installAndStart(felix);
            for (ProbedBundle probed : ProbedBundle.ALL) {
                Bundle target = websock.get(probed.symbolicName());
                assertNotNull(target, probed.symbolicName() + " is not on the test class path");
                Bundle probe = startProbe(felix, probed, temp);

                Map<String, Bundle> providers = packageProviders(probe);
                for (String pkg : probed.importedPackages()) {
                    Bundle provider = providers.get(pkg);
                    assertNotNull(provider, probed.probeSymbolicName() + " has no wire for " + pkg);
                    assertEquals(target.getBundleId(), provider.getBundleId(),
                            pkg + " of " + probed.probeSymbolicName() + " comes from " + provider.getSymbolicName());
                }

                Map<String, Object> report = felix.probeReport(probed.symbolicName());
                assertEquals(List.of(), report.get("failures"), probed.probeSymbolicName() + " saw wrong answers");
                assertTrue((Integer) report.get("checks") > 0, probed.probeSymbolicName() + " checked nothing");
                assertEquals(probed.symbolicName(), report.get("loadedBy"),
                        "the bundle that defined the classes " + probed.probeSymbolicName() + " used");
            }
            assertEquals(List.of(), felix.problems(), "framework errors and warnings");
        }
    }

    @Test
    void withoutTheVectorPackageTheScalarKernelServes(@TempDir Path temp) throws Exception {
        assertVectorModuleInBootLayer();
        try (EmbeddedFelix felix = EmbeddedFelix.start(temp.resolve("storage"), VectorExport.HIDDEN)) {
            Bundle utf8 = installAndStart(felix).get(UTF8);

            assertEquals(Bundle.ACTIVE, utf8.getState());
            assertVectorImportIsOptional(utf8);
            assertFalse(packageProviders(utf8).containsKey(EmbeddedFelix.VECTOR_PACKAGE),
                    "the optional import of " + EmbeddedFelix.VECTOR_PACKAGE + " is wired");
            assertThrows(ClassNotFoundException.class, () -> utf8.loadClass("jdk.incubator.vector.ByteVector"),
                    UTF8 + " sees the Vector API without importing it");

            startProbe(felix, ProbedBundle.named(UTF8), temp);
            Map<String, Object> report = felix.probeReport(UTF8);
            assertEquals(List.of(), report.get("failures"), "wrong answers from the scalar kernel");
            assertEquals("scalar", report.get("kernel"), "Utf8.kernelName() seen from the probe");
        }
    }

    @Test
    void withTheVectorPackageExportedTheVectorKernelServes(@TempDir Path temp) throws Exception {
        assertVectorModuleInBootLayer();
        try (EmbeddedFelix felix = EmbeddedFelix.start(temp.resolve("storage"), VectorExport.EXPORTED)) {
            Bundle utf8 = installAndStart(felix).get(UTF8);

            assertEquals(Bundle.ACTIVE, utf8.getState());
            assertVectorImportIsOptional(utf8);
            Bundle provider = packageProviders(utf8).get(EmbeddedFelix.VECTOR_PACKAGE);
            assertNotNull(provider, "the import of " + EmbeddedFelix.VECTOR_PACKAGE + " is not wired");
            assertEquals(Constants.SYSTEM_BUNDLE_ID, provider.getBundleId(),
                    EmbeddedFelix.VECTOR_PACKAGE + " comes from " + provider.getSymbolicName());

            startProbe(felix, ProbedBundle.named(UTF8), temp);
            Map<String, Object> report = felix.probeReport(UTF8);
            assertEquals(List.of(), report.get("failures"), "wrong answers from the vector kernel");
            String kernel = (String) report.get("kernel");
            assertTrue(kernel.startsWith("vector"), "Utf8.kernelName() seen from the probe: " + kernel);
        }
    }

    /** The JVM has the module, so when a bundle lacks the Vector API it is the framework's doing. */
    private static void assertVectorModuleInBootLayer() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the test JVM lacks jdk.incubator.vector: surefire's argLine must add it");
    }

    private static void assertVectorImportIsOptional(Bundle utf8) {
        List<BundleRequirement> vectorImports = utf8.adapt(BundleRevision.class)
                .getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(r -> r.getDirectives().getOrDefault(PackageNamespace.REQUIREMENT_FILTER_DIRECTIVE, "")
                        .contains("(" + PackageNamespace.PACKAGE_NAMESPACE + "=" + EmbeddedFelix.VECTOR_PACKAGE + ")"))
                .toList();
        assertEquals(1, vectorImports.size(), "imports of " + EmbeddedFelix.VECTOR_PACKAGE + ": " + vectorImports);
        assertEquals(PackageNamespace.RESOLUTION_OPTIONAL,
                vectorImports.get(0).getDirectives().get(PackageNamespace.REQUIREMENT_RESOLUTION_DIRECTIVE),
                "resolution of the " + EmbeddedFelix.VECTOR_PACKAGE + " import");
    }

    /** Installs every websock bundle on the test class path, starts each, and returns them by symbolic name. */
    private static Map<String, Bundle> installAndStart(EmbeddedFelix felix) throws IOException, BundleException {
        Map<String, Bundle> bundles = new LinkedHashMap<>();
        for (Bundle bundle : felix.install(EmbeddedFelix.websockBundlesOnClassPath().values())) {
            bundles.put(bundle.getSymbolicName(), bundle);
        }
        for (Bundle bundle : bundles.values()) {
            bundle.start();
        }
        return bundles;
    }

    private static Bundle startProbe(EmbeddedFelix felix, ProbedBundle probed, Path temp)
            throws IOException, BundleException {
        Path probes = Files.createDirectories(temp.resolve("probes"));
        Bundle probe = felix.installProbe(probed, probes);
        probe.start();
        assertEquals(Bundle.ACTIVE, probe.getState(), probed.probeSymbolicName() + " state");
        return probe;
    }

    /** Where each package that {@code bundle} imports comes from. */
    private static Map<String, Bundle> packageProviders(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        assertNotNull(wiring, bundle.getSymbolicName() + " is not resolved");
        Map<String, Bundle> providers = new LinkedHashMap<>();
        for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            providers.put((String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE),
                    wire.getProvider().getBundle());
        }
        return providers;
    }
}
