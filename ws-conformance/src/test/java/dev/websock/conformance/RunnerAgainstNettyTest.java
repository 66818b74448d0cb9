package dev.websock.conformance;

import dev.websock.conformance.reference.NettyEchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner's verdicts against Netty 4.2's WebSocket codec: every case OK except those in expected-netty.txt, each
 * with the exact outcome listed there, over ws:// and over wss://.
 */
class RunnerAgainstNettyTest {

    private static NettyEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new NettyEchoServer();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void everyCaseOverWsMatchesTheExpectedResults() throws Exception {
        ReferenceRun.runAndCompare(server.wsUri(), "netty-ws", "expected-netty.txt");
    }

    @Test
    void everyCaseOverWssMatchesTheExpectedResults() throws Exception {
        ReferenceRun.runAndCompare(server.wssUri(), "netty-wss", "expected-netty.txt");
    }
}
