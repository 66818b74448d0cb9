package dev.websock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 6455 §5.5.1 and §7.1: the closing handshake. */
class CloseHandshakeTest {

    @Test
    void peerClosesFirstAndWeEchoItsCode() {
        CloseHandshake close = new CloseHandshake();
        assertEquals(1001, close.closeReceived(1001));
        assertFalse(close.maySendData());
        assertTrue(close.maySendClose());
        assertTrue(close.closeSent());
        assertTrue(close.isComplete());
    }

    @Test
    void peerClosesWithoutACodeAndWeAnswerWithAnEmptyClose() {
        CloseHandshake close = new CloseHandshake();
        assertEquals(CloseCode.NO_STATUS, close.closeReceived(CloseCode.NO_STATUS));
    }

    @Test
    void weCloseFirstAndThePeersAnswerCompletesIt() {
        CloseHandshake close = new CloseHandshake();
        assertTrue(close.closeSent());
        assertFalse(close.maySendData());
        assertFalse(close.isComplete());
        assertEquals(-1, close.closeReceived(1000));
        assertTrue(close.isComplete());
        assertEquals(1000, close.receivedCode());
    }

    @Test
    void aSecondCloseFrameIsNeverSent() {
        CloseHandshake close = new CloseHandshake();
        assertTrue(close.closeSent());
        assertFalse(close.closeSent());
        assertFalse(close.maySendClose());
    }
}
