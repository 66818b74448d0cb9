package dev.websock.osgitests;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.osgitests.EmbeddedFelix.VectorExport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.ComponentConstants;

/**
 * Installs the websock bundles from the test class path in an embedded Apache Felix, resolves and starts them,
 * and uses each from a probe bundle built at test time (see {@link ProbedBundle}).
 */
class WebsockBundlesInFelixTest {

    private static final String UTF8 = "dev.websock.utf8";
    private static final String TRANSPORT = "dev.websock.transport";
    private static final String SERVER = "dev.websock.server";
    /** The service interface of transport providers, by name: the test's own copy of the class is not the bundle's. */
    private static final String TRANSPORT_PROVIDER = "dev.websock.transport.TransportProvider";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

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
            felix.startDeclarativeServices(); // the transport probe uses the NIO provider's service
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

    @Test
    void theTransportBundleRegistersItsNioProviderAsADeclarativeServicesComponent(@TempDir Path temp) throws Exception {
        try (EmbeddedFelix felix = EmbeddedFelix.start(temp.resolve("storage"), VectorExport.HIDDEN)) {
            felix.startDeclarativeServices();
            Bundle transport = installAndStart(felix).get(TRANSPORT);

            List<ServiceReference<?>> nio = felix.awaitServices(TRANSPORT_PROVIDER, "(transport.name=nio)", TIMEOUT);
            assertEquals(1, nio.size(), () -> "TransportProvider services with transport.name=nio: " + nio
                    + "; every TransportProvider service: " + describe(felix.services(TRANSPORT_PROVIDER)));
            ServiceReference<?> reference = nio.get(0);
            assertEquals(transport.getBundleId(), reference.getBundle().getBundleId(),
                    "the bundle that registered the service: " + reference.getBundle().getSymbolicName());
            assertEquals("dev.websock.transport.nio", reference.getProperty(ComponentConstants.COMPONENT_NAME),
                    "the component that provides it");
            Object provider = felix.context().getService(reference);
            try {
                assertEquals("dev.websock.transport.nio.NioTransportProvider", provider.getClass().getName());
                assertEquals(transport, FrameworkUtil.getBundle(provider.getClass()),
                        "the bundle that defined the service object's class");
            } finally {
                felix.context().ungetService(reference);
            }

            // What a resolver reads before anything runs: the bundle says it provides the service...
            List<Object> advertised = transport.adapt(BundleRevision.class).getDeclaredCapabilities("osgi.service")
                    .stream().map(c -> c.getAttributes().get(Constants.OBJECTCLASS)).toList();
            assertEquals(List.of(List.of(TRANSPORT_PROVIDER)), advertised, "osgi.service capabilities of " + TRANSPORT);
            // ...and needs no OSGi package to do so: outside OSGi the component description is inert.
            List<String> osgiImports = transport.adapt(BundleRevision.class)
                    .getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE).stream()
                    .map(r -> r.getDirectives().get(PackageNamespace.REQUIREMENT_FILTER_DIRECTIVE))
                    .filter(filter -> filter.contains("org.osgi."))
                    .toList();
            assertEquals(List.of(), osgiImports, TRANSPORT + " imports OSGi packages");
            assertEquals(List.of(), felix.problems(), "framework errors and warnings");
        }
    }

    @Test
    void theServerBundleServesAWebSocketEchoFromInsideTheContainer(@TempDir Path temp) throws Exception {
        try (EmbeddedFelix felix = EmbeddedFelix.start(temp.resolve("storage"), VectorExport.HIDDEN)) {
            installAndStart(felix);
            startProbe(felix, ProbedBundle.named(SERVER), temp);
            Map<String, Object> report = felix.probeReport(SERVER);
            assertEquals(List.of(), report.get("failures"), "the server probe's own raw-socket echo");

            // A client outside the framework: the JDK's, which offers no permessage-deflate.
            URI echo = URI.create("ws://127.0.0.1:" + report.get("port") + "/echo");
            String message = "Grüße to the server in Felix";
            CompletableFuture<String> echoed = new CompletableFuture<>();
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        echoed.complete(text.toString());
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    echoed.completeExceptionally(error);
                }
            };
            HttpClient client = HttpClient.newHttpClient();
            try {
                WebSocket webSocket = client.newWebSocketBuilder().connectTimeout(TIMEOUT)
                        .buildAsync(echo, listener).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                webSocket.sendText(message, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(message, echoed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "echo from " + echo);
                webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                client.shutdownNow();
            }
            assertEquals(List.of(), felix.problems(), "framework errors and warnings");
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

    /** Each service's properties, for failure messages. */
    private static List<String> describe(List<ServiceReference<?>> references) {
        return references.stream().map(r -> r.getProperties().toString()).toList();
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
