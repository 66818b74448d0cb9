package dev.websock.transport.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.Listener;
import dev.websock.transport.Transport;
import dev.websock.transport.TransportOptions;
import dev.websock.transport.Transports;
import dev.websock.transport.kit.Recorder;
import dev.websock.transport.memory.InMemoryAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the virtual-thread transport promises: its threads, its addresses, its name. */
class VirtualThreadTransportTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final Transport transport = new VirtualThreadTransport(TransportOptions.defaults());

    @AfterEach
    void closeTransport() {
        transport.close();
    }

    @Test
    void theVirtualProviderIsFoundByName() {
        assertInstanceOf(VirtualThreadTransportProvider.class, Transports.provider("virtual"));
    }

    @Test
    void everyConnectionRunsItsCallbacksOnItsOwnVirtualThread() throws Exception {
        Recorder server = new Recorder("server");
        Listener listener = transport.listen(ANY_PORT, connection -> server);
        Recorder first = new Recorder("first");
        Recorder second = new Recorder("second");
        transport.connect(listener.localAddress(), first).get(5, TimeUnit.SECONDS);
        transport.connect(listener.localAddress(), second).get(5, TimeUnit.SECONDS);
        server.awaitOpen();

        assertTrue(first.connectionThread().isVirtual(), "callbacks on " + first.connectionThread());
        assertTrue(server.connectionThread().isVirtual(), "callbacks on " + server.connectionThread());
        assertTrue(first.connectionThread() != second.connectionThread(), "two connections share a thread");
    }

    @Test
    void listeningAtAnAddressInUseOrOfAnotherKindFails() throws Exception {
        Listener listener = transport.listen(ANY_PORT, connection -> new Recorder("server"));

        assertThrows(IOException.class, () -> transport.listen(listener.localAddress(), c -> new Recorder("again")));
        assertThrows(IOException.class, () -> transport.listen(new InMemoryAddress("x"), c -> new Recorder("x")));
        assertTrue(transport.connect(new InMemoryAddress("x"), new Recorder("client")).isCompletedExceptionally());
    }

    @Test
    void closingTheTransportOnAConnectionThreadIsRefusedRatherThanWaitingForItself() throws Exception {
        Listener listener = transport.listen(ANY_PORT, connection -> new Recorder("server"));
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Recorder client = new Recorder("client") {
            @Override
            protected void opened(Connection connection) {
                try {
                    transport.close();
                } catch (IllegalStateException e) {
                    thrown.add(e);
                }
            }
        };
        transport.connect(listener.localAddress(), client).get(5, TimeUnit.SECONDS);

        assertEquals(1, thrown.size());
    }
}
