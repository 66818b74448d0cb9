package dev.websock.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.server.WebSocketServer;
import dev.websock.transport.tls.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable server: a secure echo on a self-signed certificate that it makes once and keeps. */
class EchoServerTest {

    @TempDir
    Path certificates;

    @Test
    void servesASecureEchoOnASelfSignedCertificateMadeOnFirstStartAndKept() throws Exception {
        EchoServerOptions options = EchoServerOptions.parse(new String[] {
            "--port", "0", "--cert-dir", certificates.toString()});
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        WebSocketServer server = EchoServer.start(options, new PrintStream(printed, true));
        Path certificate = certificates.resolve("localhost-certificate.pem");
        try {
            assertTrue(Files.exists(certificate), "the self-signed certificate is kept in --cert-dir");
            String url = "wss://localhost:" + server.port() + "/wss";
            assertTrue(printed.toString().contains(url), printed.toString());
            assertEquals("hello over TLS", echo(url, certificate, "hello over TLS"));
            assertEquals("and on /", echo("wss://localhost:" + server.port() + "/", certificate, "and on /"));
        } finally {
            server.close();
        }
        byte[] first = Files.readAllBytes(certificate);
        WebSocketServer again = EchoServer.start(options, new PrintStream(new ByteArrayOutputStream()));
        again.close();
        assertEquals(new String(first), Files.readString(certificate), "the second start reuses the certificate");
    }

    @Test
    void plainModeServesWs() throws Exception {
        EchoServerOptions options = EchoServerOptions.parse(new String[] {"--port", "0", "--plain", "--path", "/echo"});
        WebSocketServer server = EchoServer.start(options, new PrintStream(new ByteArrayOutputStream()));
        try {
            assertEquals("plain", echo("ws://localhost:" + server.port() + "/echo", null, "plain"));
        } finally {
            server.close();
        }
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertEquals("--cert and --key go together: a PEM certificate chain and its PKCS#8 key",
                assertThrows(IllegalArgumentException.class,
                        () -> EchoServerOptions.parse(new String[] {"--cert", "c.pem"})).getMessage());
        assertEquals("--port must be between 0 and 65535, not 70000", assertThrows(IllegalArgumentException.class,
                () -> EchoServerOptions.parse(new String[] {"--port", "70000"})).getMessage());
        assertEquals("unknown option --colour", assertThrows(IllegalArgumentException.class,
                () -> EchoServerOptions.parse(new String[] {"--colour"})).getMessage());
    }

    private static String echo(String url, Path trustedCertificate, String text) throws Exception {
        HttpClient.Builder client = HttpClient.newBuilder();
        if (trustedCertificate != null) {
            KeyMaterial trusted = KeyMaterial.fromPem(trustedCertificate, trustedCertificate.resolveSibling("localhost-key.pem"));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("server", trusted.certificate());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            client.sslContext(context);
        }
        CompletableFuture<String> received = new CompletableFuture<>();
        WebSocket ws = client.build().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                received.complete(data.toString());
                webSocket.request(1); // read on, so that the client sees the server's close frame
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText(text, true);
        String echoed = received.get(10, TimeUnit.SECONDS);
        ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        return echoed;
    }
}
