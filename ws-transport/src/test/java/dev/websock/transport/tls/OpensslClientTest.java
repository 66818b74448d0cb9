package dev.websock.transport.tls;

import static dev.websock.transport.tls.TlsTestKit.ANY_LOOPBACK_PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.transport.Listener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code openssl s_client}, a TLS implementation other than the JDK's, against a TlsTransport server: it
 * verifies the development certificate and host name, negotiates the protocol asked for, and has a line
 * echoed. Debian's {@code openssl} package is installed when missing and this runs as root; otherwise the
 * test is skipped, saying why.
 */
class OpensslClientTest {
    private final TlsTransport server = TlsTestKit.nioServer();
    private final TlsTestKit.Echo echo = new TlsTestKit.Echo();
    private InetSocketAddress address;

    @TempDir
    static Path directory;

    @BeforeAll
    static void requireOpenssl() {
        if (!opensslRuns()) {
            String why = tryInstall();
            Assumptions.assumeTrue(opensslRuns(), "openssl is not on the PATH and could not be installed: " + why);
        }
    }

    private static boolean opensslRuns() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs apt-get as the test set-up may (CI runs as root on Debian); returns why it could not. */
    private static String tryInstall() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root, so apt-get cannot install it; install Debian's 'openssl' package";
        }
        try {
            for (List<String> command : List.of(List.of("apt-get", "update"),
                    List.of("apt-get", "install", "-y", "openssl"))) {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    return String.join(" ", command) + " failed";
                }
            }
            return "apt-get install -y openssl ran but openssl still does not run";
        } catch (IOException e) {
            return "apt-get is not available: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @BeforeEach
    void listen() throws Exception {
        Listener listener = server.listen(ANY_LOOPBACK_PORT, connection -> echo);
        address = (InetSocketAddress) listener.localAddress();
    }

    @AfterEach
    void shutDown() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"-tls1_3, TLSv1.3", "-tls1_2, TLSv1.2"})
    void opensslNegotiatesTheProtocolVerifiesTheCertificateAndGetsALineEchoed(String flag, String protocol)
            throws Exception {
        Path certificate = directory.resolve("localhost.pem");
        TlsTestKit.LOCALHOST.writePem(certificate, directory.resolve("localhost-key.pem"));
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + address.getPort(),
                flag, "-servername", "localhost", "-verify_hostname", "localhost", "-CAfile", certificate.toString(),
                "-verify_return_error", "-brief")
                .redirectError(directory.resolve("s_client.err").toFile())
                .start();
        try {
            OutputStream stdin = openssl.getOutputStream();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(openssl.getInputStream(),
                    StandardCharsets.US_ASCII));
            stdin.write("hello from openssl\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            assertEquals("hello from openssl", stdout.readLine());
            stdin.close(); // s_client then sends close_notify and exits
            assertTrue(openssl.waitFor(20, TimeUnit.SECONDS), "s_client exits after end of input");
            String report = java.nio.file.Files.readString(directory.resolve("s_client.err"));
            assertEquals(0, openssl.exitValue(), report);
            assertTrue(report.contains("Protocol version: " + protocol), report);
            assertTrue(report.contains("Verification: OK"), report);
            assertEquals(null, echo.closed.get(10, TimeUnit.SECONDS), "the server saw close_notify, no truncation");
        } finally {
            openssl.destroyForcibly();
        }
    }
}
