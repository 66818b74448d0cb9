package dev.websock.osgitests.probes;

import dev.websock.transport.Connection;
import dev.websock.transport.ConnectionHandler;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.TransportProvider;
import dev.websock.transport.Transports;
import dev.websock.transport.WriteCallback;
import dev.websock.transport.nio.NioTransportProvider;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Activator of the probe bundle of {@code dev.websock.transport}: finds the NIO provider the three ways
 * {@link TransportProvider} promises (the OSGi service that the bundle's Declarative Services component
 * registers, {@link Transports}' {@code ServiceLoader}, the public constructor), then, with the service,
 * opens a transport, listens on 127.0.0.1, connects to itself, echoes a few bytes and shuts it down (see
 * {@code ProbedBundle} for the contract). Needs a Declarative Services runtime in the framework.
 */
public final class TransportProbe implements BundleActivator {

    private static final String TARGET = "dev.websock.transport";
    /** The service property that the component description gives the NIO provider. */
    private static final String NIO_FILTER = "(transport.name=nio)";
    private static final long TIMEOUT_SECONDS = 5;

    @Override
    public void start(BundleContext context) throws Exception {
        List<String> failures = new ArrayList<>();
        int checks = 0;

        ServiceReference<TransportProvider> reference = awaitNioService(context);
        String serviceBundle = "none";
        if (reference == null) {
            failures.add("no TransportProvider service with " + NIO_FILTER + " within " + TIMEOUT_SECONDS + " s");
        } else {
            serviceBundle = reference.getBundle().getSymbolicName();
            TransportProvider provider = context.getService(reference);
            try {
                checks += check(failures, "service name()", NioTransportProvider.NAME, provider.name());
                checks += check(failures, "service class", NioTransportProvider.class, provider.getClass());
                checks += echo(failures, provider);
            } catch (Exception e) {
                failures.add("echo through the service's provider failed: " + e);
            } finally {
                context.ungetService(reference);
            }
        }
        checks += check(failures, "bundle that registered the service", TARGET, serviceBundle);

        // ServiceLoader, with the transport bundle's class loader: reads the bundle's META-INF/services.
        List<String> loaded = Transports.providers().stream().map(TransportProvider::name).toList();
        checks += check(failures, "Transports.providers() contains nio", true, loaded.contains(NioTransportProvider.NAME));
        checks += check(failures, "Transports.defaultProvider() class", NioTransportProvider.class,
                Transports.defaultProvider().getClass());
        checks += check(failures, "new NioTransportProvider().name()", "nio", new NioTransportProvider().name());

        Bundle definer = FrameworkUtil.getBundle(TransportProvider.class);
        Map<String, Object> report = Map.of(
                "loadedBy", definer == null ? "not a bundle: " + TransportProvider.class.getClassLoader() : definer.getSymbolicName(),
                "serviceBundle", serviceBundle,
                "serviceLoaderProviders", loaded,
                "checks", checks,
                "failures", List.copyOf(failures));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("websock.probe.target", TARGET);
        context.registerService(Map.class.getName(), report, properties);
    }

    @Override
    public void stop(BundleContext context) {}

    /**
     * The NIO provider's service, waiting for its registration: a Declarative Services runtime may register
     * it after the transport bundle has started.
     */
    private static ServiceReference<TransportProvider> awaitNioService(BundleContext context)
            throws InvalidSyntaxException, InterruptedException {
        CountDownLatch registered = new CountDownLatch(1);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED) {
                registered.countDown();
            }
        };
        context.addServiceListener(listener,
                "(&(objectClass=" + TransportProvider.class.getName() + ")" + NIO_FILTER + ")");
        try {
            Collection<ServiceReference<TransportProvider>> found =
                    context.getServiceReferences(TransportProvider.class, NIO_FILTER);
            if (found.isEmpty() && registered.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                found = context.getServiceReferences(TransportProvider.class, NIO_FILTER);
            }
            return found.isEmpty() ? null : found.iterator().next();
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /** Opens a transport from {@code provider}, echoes a message over loopback through it, and shuts it down. */
    private static int echo(List<String> failures, TransportProvider provider) throws Exception {
        byte[] message = "Grüße through the OSGi service".getBytes(StandardCharsets.UTF_8);
        CompletableFuture<byte[]> echoed = new CompletableFuture<>();
        int checks = 0;
        Transport transport = provider.open(TransportOptions.builder().threads(1).build());
        try {
            Listener listener = transport.listen(new InetSocketAddress("127.0.0.1", 0), accepted -> (connection, data) -> {
                // data is valid only during this call: copy it for the write.
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
                connection.write(copy, WriteCallback.NONE);
            });
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ConnectionHandler client = new ConnectionHandler() {
                @Override
                public void onRead(Connection connection, ByteBuffer data) {
                    while (data.hasRemaining()) {
                        received.write(data.get());
                    }
                    if (received.size() >= message.length) {
                        echoed.complete(received.toByteArray());
                    }
                }

                @Override
                public void onClosed(Connection connection, Throwable cause) {
                    echoed.completeExceptionally(new IllegalStateException(
                            "closed after " + received.size() + " of " + message.length + " bytes", cause));
                }
            };
            Connection connection = transport.connect(listener.localAddress(), client)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            connection.write(ByteBuffer.wrap(message), WriteCallback.NONE);
            checks += check(failures, "echo", new String(message, StandardCharsets.UTF_8),
                    new String(echoed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8));
            connection.close();
            listener.close();
        } finally {
            transport.shutdown(Duration.ofSeconds(1)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        return checks;
    }

    private static int check(List<String> failures, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            failures.add(what + ": expected " + expected + " but was " + actual);
        }
        return 1;
    }
}
