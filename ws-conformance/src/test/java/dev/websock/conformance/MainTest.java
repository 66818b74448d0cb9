package dev.websock.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.conformance.reference.JettyEchoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    private record Run(int status, String out, String err) {}

    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, main().status());
        assertEquals(2, main("--url", "http://x/").status());
        assertEquals(2, main("--url", "ws://127.0.0.1:1/", "--bogus").status());
        Run r = main("--url", "ws://127.0.0.1:1/", "--cases", "99.*");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no case matches"), r.err());
    }

    @Test
    void exitsZeroWhenEverySelectedCaseIsOkAndOneOtherwise(@TempDir Path out) throws Exception {
        try (JettyEchoServer jetty = new JettyEchoServer()) {
            Run ok = main("--url", jetty.wssUri().toString(), "--insecure", "--cases", "1.1.*,2.*", "--exclude", "2.1*",
                    "--out", out.toString());
            assertEquals(0, ok.status(), ok.out());
            assertTrue(ok.out().contains("All cases OK with a clean close."), ok.out());
            assertTrue(ok.out().contains("HTML report: " + out.resolve("index.html").toAbsolutePath()), ok.out());
            assertTrue(Files.exists(out.resolve("report.json")));
            assertTrue(Files.exists(out.resolve("cases/case_2_9.html")));
            // Jetty answers an offer of server_max_window_bits=8 without it (RFC 7692 §7.1.2.1): not OK.
            Run notOk = main("--url", jetty.wsUri().toString(), "--cases", "13.3.1", "--out", out.toString(), "--quiet");
            assertEquals(1, notOk.status(), notOk.out());
            assertTrue(notOk.out().contains("13.3.1   FAILED"), notOk.out());
        }
    }

    /** Without --insecure a self-signed certificate is refused, and every case fails to connect. */
    @Test
    void wssChecksTheCertificateUnlessInsecure(@TempDir Path out) throws Exception {
        try (JettyEchoServer jetty = new JettyEchoServer()) {
            Run r = main("--url", jetty.wssUri().toString(), "--cases", "1.1.1", "--out", out.toString());
            assertEquals(1, r.status(), r.out());
            assertTrue(r.out().contains("could not connect"), r.out());
        }
    }
}
