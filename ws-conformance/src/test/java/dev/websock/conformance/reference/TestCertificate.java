package dev.websock.conformance.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A self-signed key pair and certificate for 127.0.0.1 and localhost, made once per build with the JDK's
 * {@code keytool} into {@code target/}, for the reference servers' {@code wss://} endpoints.
 */
public final class TestCertificate {

    public static final char[] PASSWORD = "conformance".toCharArray();
    private static Path keyStore;

    private TestCertificate() {}

    public static synchronized Path keyStore() throws IOException, InterruptedException {
        if (keyStore != null) {
            return keyStore;
        }
        Path dir = Path.of("target", "test-tls");
        Files.createDirectories(dir);
        Path file = dir.resolve("server.p12");
        Files.deleteIfExists(file);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass",
                new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        keyStore = file;
        return file;
    }

    public static KeyManagerFactory keyManagers() throws IOException, InterruptedException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore())) {
            ks.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
        return kmf;
    }
}
