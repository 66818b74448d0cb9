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
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server made from key material offers only the signature schemes (RFC 8446 §4.2.3) of its key's type and chain:
 * every handshake ends as it would with the JDK's full list, except that SHA-1 and SHA-224 are refused, and the
 * session keeps only a few of the client's schemes.
 */
class SignatureSchemesTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    /** Every scheme a JDK client can offer, RFC 8446 §4.2.3 and the TLS 1.2 legacy ones. */
    private static final List<String> CLIENT_SCHEMES = List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
            "ecdsa_secp521r1_sha512", "ecdsa_sha224", "ecdsa_sha1", "ed25519", "ed448", "rsa_pss_rsae_sha256",
            "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512", "rsa_pss_pss_sha256", "rsa_pss_pss_sha384",
            "rsa_pss_pss_sha512", "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512", "rsa_sha224",
            "rsa_pkcs1_sha1");
    /** keytool arguments per kind of key; each made once per JVM, as key generation takes up to a second. */
    private static final Map<String, List<String>> KEYTOOL = Map.of(
            "EC P-256", List.of("-keyalg", "EC", "-groupname", "secp256r1"),
            "EC P-384", List.of("-keyalg", "EC", "-groupname", "secp384r1"),
            "EC P-521", List.of("-keyalg", "EC", "-groupname", "secp521r1"),
            "RSA 2048", List.of("-keyalg", "RSA", "-keysize", "2048"),
            "RSASSA-PSS 2048", List.of("-keyalg", "RSASSA-PSS", "-keysize", "2048"),
            "Ed25519", List.of("-keyalg", "Ed25519"),
            "Ed448", List.of("-keyalg", "Ed448"),
            "RSA CA", List.of("-keyalg", "RSA", "-keysize", "2048", "-ext", "bc:c"),
            "EC P-256 signed SHA224withECDSA", List.of("-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA224withECDSA"));
    private static final String EC_UNDER_RSA_CA = "EC P-256 under an RSA CA";
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

    // ---- key material

    private static Path store(String kind) {
        return directory.resolve(kind.replace(' ', '-') + ".p12");
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool " + command + " failed: " + output);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void generate(String kind) {
        List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", "server", "-dname",
                "CN=" + kind.replace(' ', '-'), "-ext", "san=dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store(kind).toString(), "-storepass", new String(PASSWORD)));
        arguments.addAll(KEYTOOL.get(kind));
        keytool(arguments.toArray(new String[0]));
    }

    private static KeyMaterial keyMaterial(String kind) {
        return MADE.computeIfAbsent(kind, k -> {
            try {
                if (k.equals(EC_UNDER_RSA_CA)) {
                    // An EC leaf whose certificate an RSA CA signed: the chain's scheme is not of the key's type.
                    keyMaterial("RSA CA");
                    String leaf = store(k).toString();
                    String ca = store("RSA CA").toString();
                    String pass = new String(PASSWORD);
                    keytool("-genkeypair", "-alias", "server", "-dname", "CN=localhost", "-keyalg", "EC",
                            "-groupname", "secp256r1", "-storetype", "PKCS12", "-keystore", leaf, "-storepass", pass);
                    Path request = directory.resolve("leaf.csr");
                    Path signed = directory.resolve("leaf.pem");
                    Path caCertificate = directory.resolve("ca.pem");
                    keytool("-certreq", "-alias", "server", "-keystore", leaf, "-storepass", pass,
                            "-file", request.toString());
                    keytool("-gencert", "-alias", "server", "-keystore", ca, "-storepass", pass, "-infile",
                            request.toString(), "-outfile", signed.toString(), "-ext", "san=dns:localhost",
                            "-validity", "2", "-rfc");
                    keytool("-exportcert", "-alias", "server", "-keystore", ca, "-storepass", pass, "-rfc",
                            "-file", caCertificate.toString());
                    keytool("-importcert", "-alias", "ca", "-keystore", leaf, "-storepass", pass, "-noprompt",
                            "-file", caCertificate.toString());
                    keytool("-importcert", "-alias", "server", "-keystore", leaf, "-storepass", pass,
                            "-file", signed.toString());
                } else {
                    generate(k);
                }
                return KeyMaterial.fromPkcs12(store(k), PASSWORD);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String[] schemes(KeyMaterial material) {
        return SignatureSchemes.forServer(material.privateKey(), material.certificateChain(), null);
    }

    // ---- which schemes

    @Test
    void anEcKeyOffersTheThreeEcdsaSchemes() {
        assertArrayEquals(new String[] {"ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512"},
                schemes(TlsTestKit.LOCALHOST));
    }

    @Test
    void anRsaKeyOffersPssForTls13AndPkcs1ForTls12() {
        assertArrayEquals(new String[] {"rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
                "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512"}, schemes(keyMaterial("RSA 2048")));
    }

    @Test
    void anEdDsaKeyOffersBothEdDsaSchemes() {
        assertArrayEquals(new String[] {"ed25519", "ed448"}, schemes(keyMaterial("Ed25519")));
    }

    @Test
    void aChainSignedByAnotherKindOfKeyAddsThatSignaturesScheme() {
        KeyMaterial material = keyMaterial(EC_UNDER_RSA_CA);
        String caSignature = material.certificateChain().getFirst().getSigAlgName(); // SHA256withRSA or SHA384withRSA

        List<String> offered = List.of(schemes(material));
        assertEquals(2, material.certificateChain().size());
        assertEquals(List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512",
                "rsa_pkcs1_" + caSignature.substring(0, 6).toLowerCase()), offered);
    }

    @Test
    void aChainSignedWithAnAlgorithmNotKnownHereKeepsTheJdksList() {
        KeyMaterial material = keyMaterial("EC P-256 signed SHA224withECDSA");

        assertNull(schemes(material));
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(material).build());
        assertNull(transport.serverEngine().getSSLParameters().getSignatureSchemes());
    }

    @Test
    void aHostThatConfiguredItsOwnSchemesKeepsThem() {
        // What a server engine starts with when jdk.tls.server.SignatureSchemes is set.
        String[] configured = {"ecdsa_secp256r1_sha256", "ecdsa_sha224"};

        assertNull(SignatureSchemes.forServer(TlsTestKit.LOCALHOST.privateKey(),
                TlsTestKit.LOCALHOST.certificateChain(), configured));
    }

    @Test
    void aContextBuiltElsewhereKeepsTheJdksList() throws Exception {
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forContext(SSLContext.getDefault()).build());

        assertNull(transport.serverEngine().getSSLParameters().getSignatureSchemes());
    }

    @Test
    void serverEnginesMadeFromKeyMaterialAreLimited() {
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(TlsTestKit.LOCALHOST).build());

        assertArrayEquals(new String[] {"ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ecdsa_secp521r1_sha512"},
                transport.serverEngine().getSSLParameters().getSignatureSchemes());
    }

    // ---- handshakes end as with the JDK's list, and the session keeps less

    /**
     * For a client offering each scheme alone (and, for the chain of two kinds of key, each pair, as it needs one of
     * each), the limited engine's handshake ends as the JDK's default engine's does, except that it may refuse
     * where the JDK would sign with SHA-1 or SHA-224; and the session keeps no more than the server's list.
     */
    @ParameterizedTest
    @ValueSource(strings = {"EC P-256", "EC P-384", "EC P-521", "RSA 2048", "RSASSA-PSS 2048", "Ed25519", "Ed448",
            EC_UNDER_RSA_CA})
    void everyHandshakeEndsAsWithTheJdksListButForSha1AndSha224(String kind) throws Exception {
        KeyMaterial material = keyMaterial(kind);
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(material).build());
        SSLContext unlimited = TlsConfig.forServer(material).build().context();
        List<String> serverSchemes = List.of(schemes(material));
        List<String> differences = new ArrayList<>();
        int succeeded = 0;
        List<List<String>> offers = new ArrayList<>();
        for (int i = 0; i < CLIENT_SCHEMES.size(); i++) {
            offers.add(List.of(CLIENT_SCHEMES.get(i)));
            for (int j = i + 1; j < CLIENT_SCHEMES.size() && kind.equals(EC_UNDER_RSA_CA); j++) {
                offers.add(List.of(CLIENT_SCHEMES.get(i), CLIENT_SCHEMES.get(j)));
            }
        }
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            for (List<String> offered : offers) {
                SSLEngine jdkDefault = unlimited.createSSLEngine();
                jdkDefault.setUseClientMode(false);
                boolean expected = handshake(client(material, protocol, offered), jdkDefault);
                SSLEngine limited = transport.serverEngine();
                boolean actual = handshake(client(material, protocol, offered), limited);
                // An offer with SHA-1 or SHA-224 may be refused where the JDK's list would sign with it; nothing
                // else may differ, and nothing may succeed that the JDK's list refuses.
                boolean weak = offered.stream().anyMatch(scheme -> scheme.contains("sha1") || scheme.contains("sha224"));
                if (weak ? actual && !expected : actual != expected) {
                    differences.add(protocol + " " + offered + ": " + (actual ? "succeeded" : "failed")
                            + ", with the JDK's list " + (expected ? "succeeded" : "failed"));
                }
                if (actual) {
                    succeeded++;
                    int kept = ((ExtendedSSLSession) limited.getSession()).getPeerSupportedSignatureAlgorithms().length;
                    assertTrue(kept <= serverSchemes.size(), protocol + " " + offered + ": the session keeps " + kept);
                }
            }
        }
        assertEquals(List.of(), differences);
        assertTrue(succeeded >= 2, "a " + kind + " server completes handshakes in both protocols");
    }

    @ParameterizedTest
    @CsvSource({"EC P-256, TLSv1.3", "EC P-256, TLSv1.2", "RSA 2048, TLSv1.3", "RSA 2048, TLSv1.2"})
    void aClientOfferingEverythingCompletesAndTheSessionKeepsOnlyTheServersSchemes(String kind, String protocol)
            throws Exception {
        KeyMaterial material = keyMaterial(kind);
        transport = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(material).build());
        SSLEngine server = transport.serverEngine();

        assertTrue(handshake(client(material, protocol, null), server));
        // Named by their JCA algorithms here (SHA256withECDSA for ecdsa_secp256r1_sha256): compare the counts. A JDK
        // client offers 16 schemes (21 in TLS 1.2), all of which the session would keep with the JDK's list.
        List<String> kept = List.of(((ExtendedSSLSession) server.getSession()).getPeerSupportedSignatureAlgorithms());
        assertFalse(kept.isEmpty());
        assertTrue(kept.size() <= schemes(material).length, "the session keeps " + kept);
    }

    /** A client engine of {@code protocol} that trusts the chain's root and offers {@code schemes} (null: all). */
    private static SSLEngine client(KeyMaterial material, String protocol, List<String> schemes) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<X509Certificate> chain = material.certificateChain();
        trusted.setCertificateEntry("root", chain.getLast());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        // No peer host: the client neither resumes an earlier session (which would skip the signatures) nor checks
        // the host name, neither of which is under test.
        SSLEngine client = context.createSSLEngine();
        client.setUseClientMode(true);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setProtocols(new String[] {protocol});
        if (schemes != null) {
            parameters.setSignatureSchemes(schemes.toArray(new String[0]));
        }
        client.setSSLParameters(parameters);
        return client;
    }

    /** Runs both engines' handshakes against each other in memory; whether both completed. */
    private static boolean handshake(SSLEngine client, SSLEngine server) throws Exception {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
        ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
        ByteBuffer plaintext = ByteBuffer.allocate(4 * packet);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        try {
            client.beginHandshake();
            server.beginHandshake();
            for (int step = 0; step < 50; step++) {
                if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
                        && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                    return !client.isOutboundDone() && !server.isOutboundDone();
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
            return false;
        } catch (SSLException refused) {
            return false;
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }
}
