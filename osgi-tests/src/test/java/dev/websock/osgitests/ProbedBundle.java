package dev.websock.osgitests;

import dev.websock.osgitests.probes.CodecProbe;
import dev.websock.osgitests.probes.ServerProbe;
import dev.websock.osgitests.probes.TransportProbe;
import dev.websock.osgitests.probes.Utf8Probe;
import java.util.List;
import org.osgi.framework.BundleActivator;

/**
 * A websock bundle under test and the probe that uses it from another bundle.
 *
 * <p>The probe is a {@link BundleActivator} in {@code dev.websock.osgitests.probes}. The test copies its class
 * file (and those of its nested classes) into a probe bundle that imports {@link #importedPackages} and
 * {@code org.osgi.framework}, so the activator may reference only {@code java.*}, {@code org.osgi.framework}
 * and those packages. In {@code start} it uses the bundle's API and registers a {@code java.util.Map} service
 * with the property {@code websock.probe.target} = {@link #symbolicName}, holding:
 * {@code loadedBy} (symbolic name of the bundle that defined the API class it used), {@code checks} (how many
 * checks it ran), {@code failures} (a {@code List<String>}, one entry per wrong answer) and any facts of its
 * own (the utf8 probe adds {@code kernel}, the server probe the {@code port} its server keeps listening at until
 * the probe stops). The transport probe needs the Declarative Services runtime
 * ({@link EmbeddedFelix#startDeclarativeServices()}).
 *
 * @param symbolicName the bundle's Bundle-SymbolicName
 * @param probe the probe bundle's activator
 * @param importedPackages the websock packages the probe imports, each from this bundle
 */
record ProbedBundle(String symbolicName, Class<? extends BundleActivator> probe, List<String> importedPackages) {

    /** Every websock bundle. Adding a module: its test-scoped dependency in the pom, a probe, and one line here. */
    static final List<ProbedBundle> ALL = List.of(
            new ProbedBundle("dev.websock.utf8", Utf8Probe.class, List.of("dev.websock.utf8")),
            new ProbedBundle("dev.websock.codec", CodecProbe.class,
                    List.of("dev.websock.codec", "dev.websock.codec.extension", "dev.websock.codec.handshake")),
            new ProbedBundle("dev.websock.transport", TransportProbe.class,
                    List.of("dev.websock.transport", "dev.websock.transport.nio")),
            new ProbedBundle("dev.websock.server", ServerProbe.class, List.of("dev.websock.server")));

    /** The version range with which a probe imports websock packages. */
    static final String IMPORT_RANGE = "[0.1,1)";

    static ProbedBundle named(String symbolicName) {
        return ALL.stream().filter(b -> b.symbolicName.equals(symbolicName)).findFirst().orElseThrow();
    }

    /** The probe bundle's symbolic name. */
    String probeSymbolicName() {
        return "websock.probe." + symbolicName;
    }
}
