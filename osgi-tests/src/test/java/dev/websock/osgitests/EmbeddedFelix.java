package dev.websock.osgitests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/** An Apache Felix framework started in this JVM, with a fresh storage directory, stopped by {@link #close()}. */
final class EmbeddedFelix implements AutoCloseable {

    /** The Vector API's package: ws-utf8 imports it optionally. */
    static final String VECTOR_PACKAGE = "jdk.incubator.vector";

    /**
     * The Declarative Services runtime, by symbolic name, in installation order: Felix SCR and the OSGi API
     * bundles it imports that the framework does not export.
     */
    static final List<String> DECLARATIVE_SERVICES = List.of(
            "org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component", "org.apache.felix.scr");

    /** Whether the system bundle exports {@value #VECTOR_PACKAGE}. */
    enum VectorExport {
        /** It does not: the framework hides the package although the JVM has the module. */
        HIDDEN,
        /** It does, through {@code org.osgi.framework.system.packages.extra}. */
        EXPORTED
    }

    private final Framework framework;
    private final List<FrameworkEvent> problems = new CopyOnWriteArrayList<>();

    private EmbeddedFelix(Framework framework) {
        this.framework = framework;
    }

    /** Starts a framework whose system bundle exports the Vector API package or not; {@code storage} must be fresh. */
    static EmbeddedFelix start(Path storage, VectorExport vectorExport) throws BundleException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Felix 7 exports every unqualified export of every boot-layer module from the system bundle, so in a
        // JVM started with --add-modules jdk.incubator.vector it would export the Vector API package unasked.
        // Its list of that module's packages is the property below: empty, it exports none of them, and only
        // system.packages.extra decides.
        config.put("felix.jpms." + VECTOR_PACKAGE, "");
        if (vectorExport == VectorExport.EXPORTED) {
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, VECTOR_PACKAGE);
        }
        // org.osgi.framework.bootdelegation stays unset: only java.* comes from the parent class loader, never
        // dev.websock.* (also on the test class path) nor jdk.*.
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        Framework framework = factory.newFramework(config);
        framework.init();
        EmbeddedFelix felix = new EmbeddedFelix(framework);
        framework.getBundleContext().addFrameworkListener(event -> {
            if (event.getType() == FrameworkEvent.ERROR || event.getType() == FrameworkEvent.WARNING) {
                felix.problems.add(event);
            }
        });
        framework.start();
        return felix;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Framework framework() {
        return framework;
    }

    /** The ERROR and WARNING framework events so far, as text. */
    List<String> problems() {
        return problems.stream()
                .map(e -> e.getBundle().getSymbolicName() + ": " + e.getThrowable())
                .collect(Collectors.toList());
    }

    /**
     * The websock bundles on the test class path (the jars the reactor built, or the installed ones), by
     * symbolic name: every entry whose manifest has a Bundle-SymbolicName starting with {@code dev.websock.}.
     */
    static Map<String, Path> websockBundlesOnClassPath() throws IOException {
        return bundlesOnClassPath("dev.websock.");
    }

    /**
     * Installs and starts Felix SCR, the Declarative Services runtime, and the OSGi API bundles it needs, all
     * from the test class path. Started before the websock bundles, it registers their components' services
     * as they start (it also picks up bundles that are already active).
     */
    void startDeclarativeServices() throws IOException, BundleException {
        Map<String, Path> onClassPath = bundlesOnClassPath("org.");
        List<Path> jars = new ArrayList<>();
        for (String symbolicName : DECLARATIVE_SERVICES) {
            Path jar = onClassPath.get(symbolicName);
            assertNotNull(jar, symbolicName + " is not on the test class path: see osgi-tests/pom.xml");
            jars.add(jar);
        }
        for (Bundle bundle : install(jars)) {
            bundle.start();
        }
    }

    /**
     * The services registered under {@code objectClass} that match {@code filter}, waiting up to {@code timeout}
     * (positive) for the first to appear; empty if none did.
     */
    List<ServiceReference<?>> awaitServices(String objectClass, String filter, Duration timeout)
            throws InterruptedException {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive (ServiceTracker waits forever on 0): " + timeout);
        }
        Filter tracked;
        try {
            tracked = context().createFilter("(&(" + Constants.OBJECTCLASS + "=" + objectClass + ")" + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        ServiceTracker<?, ?> tracker = new ServiceTracker<>(context(), tracked, null);
        // Every service under that name, not only those whose class the system bundle shares: its class loader is
        // the test's, whose copies of the websock classes are not the bundles'.
        tracker.open(true);
        try {
            tracker.waitForService(timeout.toMillis());
            ServiceReference<?>[] references = tracker.getServiceReferences();
            return references == null ? List.of() : List.of(references);
        } finally {
            tracker.close();
        }
    }

    /** The services registered under {@code objectClass} now, by any bundle. */
    List<ServiceReference<?>> services(String objectClass) {
        try {
            ServiceReference<?>[] references = context().getAllServiceReferences(objectClass, null);
            return references == null ? List.of() : List.of(references);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError("no filter, no syntax error", e);
        }
    }

    /** The bundles on the test class path whose Bundle-SymbolicName starts with {@code prefix}, by symbolic name. */
    private static Map<String, Path> bundlesOnClassPath(String prefix) throws IOException {
        Map<String, Path> bundles = new TreeMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            Manifest manifest = null;
            if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(path.toFile())) {
                    manifest = jar.getManifest();
                }
            } else if (Files.isRegularFile(path.resolve(JarFile.MANIFEST_NAME))) {
                try (InputStream in = Files.newInputStream(path.resolve(JarFile.MANIFEST_NAME))) {
                    manifest = new Manifest(in);
                }
            }
            String symbolicName = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (symbolicName != null && symbolicName.startsWith(prefix)) {
                Path previous = bundles.put(symbolicName.split(";")[0].trim(), path);
                if (previous != null) {
                    throw new IllegalStateException(symbolicName + " twice on the class path: " + previous + ", " + path);
                }
            }
        }
        return bundles;
    }

    /** Installs (not starts) each bundle; a class path directory is installed in place. */
    List<Bundle> install(Collection<Path> bundles) throws BundleException {
        List<Bundle> installed = new ArrayList<>();
        for (Path bundle : bundles) {
            String location = bundle.toUri().toString();
            installed.add(context().installBundle(Files.isDirectory(bundle) ? "reference:" + location : location));
        }
        return installed;
    }

    /** Builds the probe bundle of {@code probed} in {@code directory} and installs it. */
    Bundle installProbe(ProbedBundle probed, Path directory) throws IOException, BundleException {
        Path jar = directory.resolve(probed.probeSymbolicName() + ".jar");
        writeProbeJar(probed, jar);
        return context().installBundle(jar.toUri().toString());
    }

    private static void writeProbeJar(ProbedBundle probed, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, probed.probeSymbolicName());
        main.putValue(Constants.BUNDLE_VERSION, "0.0.1");
        main.putValue(Constants.BUNDLE_ACTIVATOR, probed.probe().getName());
        List<String> imports = new ArrayList<>();
        for (String pkg : probed.importedPackages()) {
            imports.add(pkg + ";version=\"" + ProbedBundle.IMPORT_RANGE + "\"");
        }
        imports.add("org.osgi.framework;version=\"[1.8,2)\"");
        main.putValue(Constants.IMPORT_PACKAGE, String.join(",", imports));
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> classFile : classFiles(probed.probe()).entrySet()) {
                jarOut.putNextEntry(new JarEntry(classFile.getKey()));
                jarOut.write(classFile.getValue());
                jarOut.closeEntry();
            }
        }
    }

    /** The class file of {@code type} and of its nested classes, from the test class path, by jar entry name. */
    private static Map<String, byte[]> classFiles(Class<?> type) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        String name = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, name + " is not on the test class path");
            files.put(name, in.readAllBytes());
        }
        Path classes;
        try {
            classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path packageDir = classes.resolve(type.getPackageName().replace('.', '/'));
        try (DirectoryStream<Path> nested = Files.newDirectoryStream(packageDir, type.getSimpleName() + "$*.class")) {
            for (Path file : nested) {
                files.put(classes.relativize(file).toString().replace(File.separatorChar, '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }

    /** The report that the probe of {@code symbolicName} registered (see {@link ProbedBundle}). */
    @SuppressWarnings("unchecked")
    Map<String, Object> probeReport(String symbolicName) {
        ServiceReference<?>[] references;
        try {
            references = context().getServiceReferences(Map.class.getName(),
                    "(websock.probe.target=" + symbolicName + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        assertNotNull(references, "the probe of " + symbolicName + " registered no report");
        assertEquals(1, references.length, "reports of the probe of " + symbolicName);
        return (Map<String, Object>) context().getService(references[0]);
    }

    /** Why {@code bundle} does not resolve, in the framework's words (starting it tries to resolve it). */
    static String resolutionError(Bundle bundle) {
        try {
            bundle.start();
            return bundle.getSymbolicName() + " started";
        } catch (BundleException e) {
            return e.getMessage();
        }
    }

    /** Stops the framework and waits until it has stopped. */
    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        FrameworkEvent stopped = framework.waitForStop(30_000);
        assertEquals(FrameworkEvent.STOPPED, stopped.getType(), "framework stop: " + stopped);
    }
}
