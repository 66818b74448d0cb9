package dev.websock.server;

import java.nio.ByteBuffer;

/** Echoes text and binary messages, as the conformance cases expect of a server. */
final class EchoHandler implements WebSocketHandler {
    @Override
    public void onText(Session session, String text) {
        session.sendText(text);
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        session.sendBinary(data);
    }
}
