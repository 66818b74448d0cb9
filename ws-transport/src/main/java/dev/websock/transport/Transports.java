package dev.websock.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds {@link TransportProvider}s with {@link ServiceLoader}. */
public final class Transports {

    /** The name of the provider used when none is chosen: the NIO event-loop transport. */
    public static final String DEFAULT = "nio";

    private Transports() {
    }

    /** Every provider visible to this module's class loader and module layer, in discovery order. */
    public static List<TransportProvider> providers() {
        List<TransportProvider> providers = new ArrayList<>();
        ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader()).forEach(providers::add);
        return providers;
    }

    /**
     * The provider called {@code name}.
     *
     * @throws IllegalArgumentException when no provider has that name; the message lists the ones found
     */
    public static TransportProvider provider(String name) {
        List<TransportProvider> providers = providers();
        for (TransportProvider provider : providers) {
            if (provider.name().equals(name)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("no transport provider named '" + name + "'; found "
                + providers.stream().map(TransportProvider::name).toList()
                + ". Add the module or jar that provides it, or pick one of these");
    }

    /** The {@link #DEFAULT} provider. */
    public static TransportProvider defaultProvider() {
        return provider(DEFAULT);
    }
}
