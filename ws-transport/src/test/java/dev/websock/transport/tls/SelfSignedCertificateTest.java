package dev.websock.transport.tls;

import static dev.websock.transport.tls.TlsTestKit.ANY_LOOPBACK_PORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Listener;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development certificate: what the JDK parses out of our DER, and that a verifying client accepts it. */
class SelfSignedCertificateTest {
    @TempDir
    Path directory;

    private static X509Certificate reparse(X509Certificate certificate) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
    }

    @Test
    void theCertificateParsesAsAValidSelfSignedV3Certificate() throws Exception {
        X509Certificate certificate = reparse(SelfSignedCertificate.forLocalhost().certificate());
        assertEquals(3, certificate.getVersion());
        assertEquals("CN=localhost", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", certificate.getSigAlgName());
        certificate.checkValidity();
        certificate.verify(certificate.getPublicKey()); // signed with its own key
        assertTrue(certificate.getSerialNumber().signum() > 0);
    }

    @Test
    void theCertificateCarriesTheServerExtensions() throws Exception {
        X509Certificate certificate = reparse(SelfSignedCertificate.forLocalhost().certificate());
        assertEquals(-1, certificate.getBasicConstraints(), "not a CA");
        assertTrue(certificate.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage(), "serverAuth");
        assertTrue(certificate.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        Set<List<?>> names = new HashSet<>();
        for (List<?> name : certificate.getSubjectAlternativeNames()) {
            names.add(name);
        }
        assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")), names);
    }

    @Test
    void validityAndNamesAreTheOnesAskedFor() throws Exception {
        KeyMaterial material = SelfSignedCertificate.generate("example.test", List.of("example.test", "*.example.test"),
                List.of(InetAddress.getByName("192.0.2.7")), Duration.ofDays(2));
        X509Certificate certificate = reparse(material.certificate());
        long hours = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant())
                .toHours();
        assertEquals(49, hours, "two days from now, starting an hour back");
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        assertTrue(names.contains(List.of(2, "*.example.test")));
        assertTrue(names.contains(List.of(7, "192.0.2.7")));
        assertEquals("CN=example.test", certificate.getSubjectX500Principal().getName());
    }

    @Test
    void validityBeyond2049IsEncodedAsGeneralizedTime() throws Exception {
        KeyMaterial material = SelfSignedCertificate.generate("localhost", List.of("localhost"), List.of(),
                Duration.ofDays(365L * 60));
        X509Certificate certificate = reparse(material.certificate());
        assertTrue(certificate.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC).getYear() >= 2084);
    }

    @Test
    void aCertificateWithoutNamesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SelfSignedCertificate.generate("x", List.of(), List.of(), Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("at least one DNS name or IP address"), e.getMessage());
    }

    @Test
    void aJdkClientThatTrustsItCompletesAHostnameVerifiedHandshake() throws Exception {
        try (TlsTransport server = TlsTestKit.nioServer()) {
            Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> new TlsTestKit.Echo());
            int port = ((java.net.InetSocketAddress) listener.localAddress()).getPort();
            for (String host : List.of("localhost", "127.0.0.1")) {
                try (SSLSocket socket = (SSLSocket) TlsTestKit.trustingSocketFactory().createSocket(host, port)) {
                    socket.setSoTimeout(10_000);
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.startHandshake();
                    assertEquals(TlsTestKit.LOCALHOST.certificate(), socket.getSession().getPeerCertificates()[0]);
                }
            }
        }
    }

    @Test
    void loadOrCreateWritesOnceAndLoadsTheSameAfterwards() throws Exception {
        Path certificate = directory.resolve("dev/cert.pem");
        Path key = directory.resolve("dev/key.pem");
        KeyMaterial created = SelfSignedCertificate.loadOrCreate(certificate, key);
        assertTrue(Files.exists(certificate) && Files.exists(key));
        KeyMaterial loaded = SelfSignedCertificate.loadOrCreate(certificate, key);
        assertEquals(created.certificate(), loaded.certificate());
        assertArrayEquals(created.privateKey().getEncoded(), loaded.privateKey().getEncoded());
    }
}
