package dev.websock.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A server made from key material offers only the signature schemes (RFC 8446 §4.2.3) its key and chain can use:
 * every handshake a JDK client makes still succeeds, and the session keeps only those of the client's schemes.
 */
class SignatureSchemesTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    /** keytool arguments per kind of key; made once per JVM, as key generation takes up to a second. */
    private static final Map<String, List<String>> KEYTOOL = Map.of(
            "EC P-256", List.of("-keyalg", "EC", "-groupname", "secp256r1"),
            "EC P-384", List.of("-keyalg", "EC", "-groupname", "secp384r1"),
            "RSA 2048", List.of("-keyalg", "RSA", "-keysize", "2048"),
            "Ed25519", List.of("-keyalg", "Ed25519"),
            "EC P-256 signed SHA224withECDSA", List.of("-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA224withECDSA"));
    private static final Map<String, KeyMaterial> MADE = new ConcurrentHashMap<>();

    @TempDir
    static Path directory;

    private TlsTransport transport;

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
    }

    private static KeyMaterial keyMaterial(String kind) {
        return MADE.computeIfAbsent(kind, k -> {
            Path store = directory.resolve(k.replace(' ', '-') + ".p12");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                    "-alias", "server", "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
            command.addAll(KEYTOOL.get(k));
            try {
                Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(keytool.getInputStream().readAllBytes());
                if (keytool.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed for " + k + ": " + output);
                }
                return KeyMaterial.fromPkcs12(store, PASSWORD);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String[] schemes(KeyMaterial material) {
        return SignatureSchemes.forServer(material.privateKey(), material.certificateChain());
    }

    // ---- which schemes

    @Test
    void anEcKeyOffersTheThreeEcdsaSchemesAndItsChainsOwn() {
        assertArrayEquals(new String[] {"ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512"},
                schemes(TlsTestKit.LOCALHOST));
    }

    @Test
    void anRsaKeyOffersPssForTls13AndPkcs1ForTls12() {
        List<String> offered = List.of(schemes(keyMaterial("RSA 2048")));

        assertTrue(offered.containsAll(List.of("rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
                "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512")), offered.toString());
        assertEquals(6, offered.size(), "keytool signs an RSA 2048 certificate with one of these: " + offered);
    }

    @Test
    void anEd25519KeyOffersEd25519Only() {
        assertArrayEquals(new String[] {"ed25519"}, schemes(keyMaterial("Ed25519")));
    }

    @Test
    void aChainSignedWithAnAlgorithmNotKnownHereKeepsTheJdksList() {
        KeyMaterial material = keyMaterial("EC P-256 signed SHA224withECDSA");

        assertNull(schemes(material));
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(material).build());
        assertNull(transport.serverEngine().getSSLParameters().getSignatureSchemes());
    }

    @Test
    void aContextBuiltElsewhereKeepsTheJdksList() throws Exception {
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forContext(SSLContext.getDefault()).build());

        assertNull(transport.serverEngine().getSSLParameters().getSignatureSchemes());
    }

    @Test
    void serverEnginesAreLimitedToTheKeysSchemes() {
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(TlsTestKit.LOCALHOST).build());

        assertArrayEquals(schemes(TlsTestKit.LOCALHOST), transport.serverEngine().getSSLParameters().getSignatureSchemes());
    }

    // ---- handshakes still succeed, and the session keeps less

    @ParameterizedTest
    @CsvSource({
            "EC P-256, TLSv1.3", "EC P-256, TLSv1.2",
            "EC P-384, TLSv1.3", "EC P-384, TLSv1.2",
            "RSA 2048, TLSv1.3", "RSA 2048, TLSv1.2",
            "Ed25519, TLSv1.3", "Ed25519, TLSv1.2"})
    void aJdkClientCompletesTheHandshakeAndTheSessionKeepsOnlyTheServersSchemes(String kind, String protocol)
            throws Exception {
        KeyMaterial material = keyMaterial(kind);
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(material).build());
        SSLEngine server = transport.serverEngine();
        SSLEngine client = trustingClient(material).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        client.setSSLParameters(parameters);

        handshake(client, server);

        assertEquals(protocol, server.getSession().getProtocol());
        // Named by their JCA algorithms here (SHA256withECDSA for ecdsa_secp256r1_sha256): compare the counts. A JDK
        // client offers 16 schemes, all of which the session would keep with the JDK's list.
        List<String> serverSchemes = List.of(schemes(material));
        List<String> kept = List.of(((ExtendedSSLSession) server.getSession()).getPeerSupportedSignatureAlgorithms());
        assertFalse(kept.isEmpty());
        assertTrue(kept.size() <= serverSchemes.size(),
                "the session keeps " + kept + ", more than the server's " + serverSchemes);
    }

    private static SSLContext trustingClient(KeyMaterial material) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", material.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** Runs both engines' handshakes against each other in memory, delegated tasks included. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
        ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
        ByteBuffer plaintext = ByteBuffer.allocate(4 * packet);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < 100; step++) {
            if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                    && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                return;
            }
            client.wrap(nothing, toServer);
            runTasks(client);
            server.unwrap(toServer.flip(), plaintext.clear());
            toServer.compact();
            runTasks(server);
            server.wrap(nothing, toClient);
            runTasks(server);
            client.unwrap(toClient.flip(), plaintext.clear());
            toClient.compact();
            runTasks(client);
        }
        throw new AssertionError("the handshake did not finish: client " + client.getHandshakeStatus() + ", server "
                + server.getHandshakeStatus());
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }
}
