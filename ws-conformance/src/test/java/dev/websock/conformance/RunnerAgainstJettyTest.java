package dev.websock.conformance;

import dev.websock.conformance.reference.JettyEchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner's verdicts against Jetty 12's WebSocket core: every case OK except those in expected-jetty.txt, each
 * with the exact outcome listed there, over ws:// and over wss://.
 */
class RunnerAgainstJettyTest {

    private static JettyEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new JettyEchoServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void everyCaseOverWsMatchesTheExpectedResults() throws Exception {
        ReferenceRun.runAndCompare(server.wsUri(), "jetty-ws", "expected-jetty.txt");
    }

    @Test
    void everyCaseOverWssMatchesTheExpectedResults() throws Exception {
        ReferenceRun.runAndCompare(server.wssUri(), "jetty-wss", "expected-jetty.txt");
    }
}
