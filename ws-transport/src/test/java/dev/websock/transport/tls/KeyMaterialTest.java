package dev.websock.transport.tls;

import static dev.websock.transport.tls.TlsTestKit.ANY_LOOPBACK_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Connection;
import dev.websock.transport.Listener;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading key material from PEM (PKCS#8, RSA and EC) and PKCS#12, writing it back, and the errors. */
class KeyMaterialTest {
    @TempDir
    Path directory;

    private static Path resource(String name) {
        try {
            return Path.of(KeyMaterialTest.class.getResource("/tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void loadsAPkcs8KeyAndItsCertificateFromPem(String algorithm) throws Exception {
        KeyMaterial material = KeyMaterial.fromPem(resource(algorithm + "-cert.pem"), resource(algorithm + "-key.pem"));
        assertEquals(algorithm.toUpperCase(), material.privateKey().getAlgorithm());
        assertEquals("CN=localhost", material.certificate().getSubjectX500Principal().getName());
        assertEquals(1, material.certificateChain().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec", "rsa-pss"})
    void aServerWithPemKeyMaterialCompletesAHandshake(String algorithm) throws Exception {
        KeyMaterial material = KeyMaterial.fromPem(resource(algorithm + "-cert.pem"), resource(algorithm + "-key.pem"));
        try (TlsTransport server = new TlsTransport(TlsTestKit.nio(), TlsConfig.forServer(material).build());
                TlsTransport client = new TlsTransport(TlsTestKit.nio(),
                        TlsConfig.forClient(material.certificateChain()).build())) {
            Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
            Connection connection = client.connect(listener.localAddress(), new TlsTestKit.Recorder())
                    .get(10, TimeUnit.SECONDS);
            assertEquals(material.certificate(), connection.tlsSession().orElseThrow().getPeerCertificates()[0]);
        }
    }

    @Test
    void loadsAnRsassaPssKeyThoughItSignsOnlyWithParameters() throws Exception {
        KeyMaterial material = KeyMaterial.fromPem(resource("rsa-pss-cert.pem"), resource("rsa-pss-key.pem"));
        assertEquals("RSASSA-PSS", material.privateKey().getAlgorithm());
    }

    @Test
    void loadsTheKeyEntryOfAPkcs12Keystore() throws Exception {
        KeyMaterial material = KeyMaterial.fromPkcs12(resource("rsa.p12"), "changeit".toCharArray());
        KeyMaterial pem = KeyMaterial.fromPem(resource("rsa-cert.pem"), resource("rsa-key.pem"));
        assertEquals(pem.certificate(), material.certificate());
        assertArrayEquals(pem.privateKey().getEncoded(), material.privateKey().getEncoded());
    }

    @Test
    void aWrongPkcs12PasswordSaysSo() {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPkcs12(resource("rsa.p12"), "wrong".toCharArray()));
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void aPkcs12KeystoreWithoutAKeySaysSo() {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPkcs12(resource("certs-only.p12"), "changeit".toCharArray()));
        assertTrue(e.getMessage().contains("holds no private key"), e.getMessage());
    }

    @Test
    void aFileThatIsNotPkcs12SaysSo() {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPkcs12(resource("rsa-cert.pem"), "changeit".toCharArray()));
        assertTrue(e.getMessage().contains("PKCS#12"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-key-pkcs1.pem", "ec-key-sec1.pem"})
    void aPkcs1OrSec1KeyIsRefusedWithTheCommandThatConvertsIt(String file) {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPem(resource("rsa-cert.pem"), resource(file)));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt -in " + file), e.getMessage());
    }

    @Test
    void anEncryptedKeyIsRefusedWithTheCommandThatDecryptsIt() {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPem(resource("rsa-cert.pem"), resource("rsa-key-encrypted.pem")));
        assertTrue(e.getMessage().contains("encrypted private key"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl pkcs8 -in rsa-key-encrypted.pem"), e.getMessage());
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPem(resource("rsa-cert.pem"), resource("ec-key.pem")));
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    }

    @Test
    void aCertificateFileWithoutCertificatesSaysWhatIsMissing() {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPem(resource("rsa-key.pem"), resource("rsa-key.pem")));
        assertTrue(e.getMessage().contains("no '-----BEGIN CERTIFICATE-----' block"), e.getMessage());
    }

    @Test
    void aKeyFileWithoutAKeySaysWhatIsMissing() {
        IOException e = assertThrows(IOException.class,
                () -> KeyMaterial.fromPem(resource("rsa-cert.pem"), resource("rsa-cert.pem")));
        assertTrue(e.getMessage().contains("no '-----BEGIN PRIVATE KEY-----' block"), e.getMessage());
    }

    @Test
    void damagedBase64SaysWhichBlock() throws Exception {
        Path damaged = directory.resolve("damaged.pem");
        Files.writeString(damaged, "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");
        IOException e = assertThrows(IOException.class, () -> KeyMaterial.fromPem(damaged, resource("rsa-key.pem")));
        assertTrue(e.getMessage().contains("CERTIFICATE"), e.getMessage());
    }

    @Test
    void writtenPemReadsBackTheSameAndTheKeyIsPrivateToItsOwner() throws Exception {
        KeyMaterial material = KeyMaterial.fromPem(resource("ec-cert.pem"), resource("ec-key.pem"));
        Path certificate = directory.resolve("cert.pem");
        Path key = directory.resolve("key.pem");
        material.writePem(certificate, key);
        KeyMaterial read = KeyMaterial.fromPem(certificate, key);
        assertEquals(material.certificateChain(), read.certificateChain());
        assertArrayEquals(material.privateKey().getEncoded(), read.privateKey().getEncoded());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        try (var files = Files.list(directory)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void writtenPkcs12ReadsBackTheSame() throws Exception {
        KeyMaterial material = KeyMaterial.fromPem(resource("rsa-cert.pem"), resource("rsa-key.pem"));
        Path store = directory.resolve("server.p12");
        material.writePkcs12(store, "pw".toCharArray());
        KeyMaterial read = KeyMaterial.fromPkcs12(store, "pw".toCharArray());
        assertEquals(material.certificateChain(), read.certificateChain());
        assertArrayEquals(material.privateKey().getEncoded(), read.privateKey().getEncoded());
    }
}
