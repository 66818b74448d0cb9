package dev.websock.transport.memory;

import java.io.Serial;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The name of an in-memory endpoint: what an {@link InMemoryTransport} listens at and connects to. Names are
 * scoped to one transport instance, so parallel tests never collide.
 */
public final class InMemoryAddress extends SocketAddress {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;

    /**
     * @param name any non-empty name, such as {@code "server"}
     * @throws IllegalArgumentException when {@code name} is empty
     */
    public InMemoryAddress(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an in-memory address needs a non-empty name, such as \"server\"");
        }
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InMemoryAddress address && address.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "memory:" + name;
    }
}
