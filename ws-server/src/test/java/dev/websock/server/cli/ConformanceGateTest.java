package dev.websock.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.websock.conformance.CaseResult;
import dev.websock.conformance.ConformanceRunner;
import dev.websock.conformance.RunReport;
import dev.websock.server.WebSocketServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate (issue 6): our conformance runner, which speaks WebSocket through its own frame reader and writer and
 * not through ws-codec, runs every case against the runnable echo server, over {@code ws://} and {@code wss://},
 * with permessage-deflate offered in cases 12 and 13. Every case must be OK (or INFORMATIONAL where the RFC leaves
 * the outcome open) with a clean closing handshake: the server answers a close frame and then closes TCP
 * (RFC 6455 §7.1.1).
 *
 * <p>The test command runs the catalogue with the runner's reduced limits (every case, with smaller 9.* messages
 * and fewer repetitions); {@code -Dconformance.full=true} runs Autobahn's full sizes. Reports go to
 * {@code target/conformance/ws-server-{ws,wss}/index.html}.
 */
class ConformanceGateTest {

    @TempDir
    Path certificates;

    @Test
    void everyCaseIsOkWithACleanCloseOverWs() throws Exception {
        assertEveryCasePasses(new String[] {"--plain", "--port", "0", "--host", "127.0.0.1"}, "ws", "ws-server-ws");
    }

    @Test
    void everyCaseIsOkWithACleanCloseOverWss() throws Exception {
        assertEveryCasePasses(new String[] {"--port", "0", "--host", "127.0.0.1", "--cert-dir", certificates.toString()},
                "wss", "ws-server-wss");
    }

    private static void assertEveryCasePasses(String[] arguments, String scheme, String name) throws Exception {
        EchoServerOptions options = EchoServerOptions.parse(arguments);
        WebSocketServer server = EchoServer.start(options, new PrintStream(new ByteArrayOutputStream()));
        try {
            URI url = URI.create(scheme + "://127.0.0.1:" + server.port() + options.path());
            RunReport report = ConformanceRunner.builder(url)
                    .insecure(true) // the self-signed certificate the server made in the temporary directory
                    .reducedLimits(!Boolean.getBoolean("conformance.full"))
                    .outputDirectory(Path.of("target", "conformance", name))
                    .build()
                    .run();
            System.out.print(report.summary());
            List<String> failures = report.notPassed().stream().map(ConformanceGateTest::describe).toList();
            assertEquals(List.of(), failures, "cases not OK with a clean close over " + scheme
                    + "; see target/conformance/" + name + "/index.html");
        } finally {
            server.close();
        }
    }

    private static String describe(CaseResult result) {
        return result.id() + " " + result.outcome() + ": " + result.reason();
    }
}
