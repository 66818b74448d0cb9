package dev.websock.benchmarks.harness;

import dev.websock.transport.Transport;
import dev.websock.transport.tls.KeyMaterial;
import dev.websock.transport.tls.TlsConfig;
import dev.websock.transport.tls.TlsTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The key material of the TLS cells: one self-signed EC P-256 certificate for {@code localhost}, made once per run
 * with the JDK's {@code keytool} into a PKCS#12 file that every server JVM loads, so that websock and Netty
 * present the same certificate and negotiate the same cipher suite. The load generator trusts any certificate:
 * it measures, it does not authenticate.
 */
public final class TlsMaterial {
    public static final char[] PASSWORD = "websock-bench".toCharArray();

    private TlsMaterial() {
    }

    /** Writes a new key store into {@code directory} and returns its path. */
    public static Path create(Path directory) throws IOException, InterruptedException {
        Path store = directory.resolve("echo-localhost.p12");
        Files.deleteIfExists(store);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "echo", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        return store;
    }

    public static KeyManagerFactory keyManagers(Path store) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, PASSWORD);
        return factory;
    }

    public static SSLContext serverContext(Path store) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(store).getKeyManagers(), null, null);
        return context;
    }

    public static SSLContext trustingClientContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** websock's TLS layer over {@code inner}, presenting the run's certificate. */
    public static Transport websockTls(Transport inner, Path store) throws IOException {
        return new TlsTransport(inner, websockConfig(store));
    }

    /** websock's server TLS configuration for the run's certificate, made as its documentation shows. */
    public static TlsConfig websockConfig(Path store) throws IOException {
        return TlsConfig.forServer(KeyMaterial.fromPkcs12(store, PASSWORD)).build();
    }
}
