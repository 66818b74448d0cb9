package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engines a TlsTransport makes: the settings its class comment promises, and no per-engine copies. */
class TlsTransportEngineTest {
    private TlsTransport transport;

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    @Test
    void serverEnginesEnableTls13And12ChooseTheCipherSuiteAndAskNoClientCertificate() {
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(TlsTestKit.LOCALHOST).build());
        SSLEngine engine = transport.serverEngine();
        SSLParameters parameters = engine.getSSLParameters();

        assertFalse(engine.getUseClientMode());
        assertEquals(Set.copyOf(TlsConfig.PROTOCOLS), Set.of(parameters.getProtocols()));
        assertTrue(parameters.getUseCipherSuitesOrder());
        assertFalse(parameters.getNeedClientAuth());
        assertFalse(parameters.getWantClientAuth());
        assertEquals(0, parameters.getApplicationProtocols().length);
        SSLParameters defaults = unconfiguredServerEngine(transport.config().context()).getSSLParameters();
        assertArrayEquals(defaults.getCipherSuites(), parameters.getCipherSuites());
        assertArrayEquals(defaults.getNamedGroups(), parameters.getNamedGroups());
        assertEquals(defaults.getMaximumPacketSize(), parameters.getMaximumPacketSize());
    }

    @Test
    void clientEnginesVerifyTheHostNameAndSendItAsSni() {
        transport = new TlsTransport(TlsTestKit.nio(),
                TlsConfig.forClient(TlsTestKit.LOCALHOST.certificateChain()).build());
        SSLEngine engine = transport.clientEngine(InetSocketAddress.createUnresolved("example.com", 443));
        SSLParameters parameters = engine.getSSLParameters();

        assertTrue(engine.getUseClientMode());
        assertEquals("example.com", engine.getPeerHost());
        assertEquals(Set.copyOf(TlsConfig.PROTOCOLS), Set.of(parameters.getProtocols()));
        assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
        assertEquals(List.of(new SNIHostName("example.com")), parameters.getServerNames());
    }

    @Test
    void clientEnginesSendNoSniForAnAddressAndSkipHostNameVerificationWhenTurnedOff() {
        transport = new TlsTransport(TlsTestKit.nio(),
                TlsConfig.forClient(TlsTestKit.LOCALHOST.certificateChain()).verifyHostname(false).build());
        SSLParameters parameters = transport.clientEngine(new InetSocketAddress("127.0.0.1", 443)).getSSLParameters();

        assertNull(parameters.getEndpointIdentificationAlgorithm());
        assertNull(parameters.getServerNames(), "RFC 6066 §3: no SNI for an address literal");
    }

    @Test
    void bothSidesOfferTheConfiguredApplicationProtocols() {
        transport = new TlsTransport(TlsTestKit.nio(),
                TlsConfig.forServer(TlsTestKit.LOCALHOST).applicationProtocols("x-websock", "http/1.1").build());

        assertArrayEquals(new String[] {"x-websock", "http/1.1"},
                transport.serverEngine().getSSLParameters().getApplicationProtocols());
        assertArrayEquals(new String[] {"x-websock", "http/1.1"},
                transport.clientEngine(new InetSocketAddress("127.0.0.1", 443)).getSSLParameters()
                        .getApplicationProtocols());
    }

    /**
     * {@code engine.setSSLParameters(engine.getSSLParameters())} gives an engine its own copies of the cipher
     * suite, protocol and named group lists (about 320 B); a TlsTransport's engines keep sharing the context's.
     */
    @Test
    void aServerEngineCostsNoMoreHeapThanAnUnconfiguredOne() throws Exception {
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(TlsTestKit.LOCALHOST).build());
        SSLContext context = transport.config().context();
        int count = 4000;
        SSLEngine[] engines = new SSLEngine[count];
        for (int i = 0; i < count; i++) { // warm-up: classes loaded, the context's defaults computed
            engines[i] = transport.serverEngine();
            engines[i] = unconfiguredServerEngine(context);
        }
        engines = new SSLEngine[count];

        long before = usedHeapAfterGc();
        for (int i = 0; i < count; i++) {
            engines[i] = unconfiguredServerEngine(context);
        }
        long unconfigured = usedHeapAfterGc() - before;
        engines = new SSLEngine[count];
        before = usedHeapAfterGc();
        for (int i = 0; i < count; i++) {
            engines[i] = transport.serverEngine();
        }
        long configured = usedHeapAfterGc() - before;

        long extra = (configured - unconfigured) / count;
        assertTrue(extra < 64, "a configured server engine holds " + extra + " B more than an unconfigured one ("
                + configured / count + " B against " + unconfigured / count + " B)");
        assertEquals(count, engines.length);
    }

    private static SSLEngine unconfiguredServerEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
