package dev.websock.conformance.reference;

import java.net.URI;

/** A reference echo server started in test scope, listening on ws:// and wss:// at path /echo. */
public interface EchoServer extends AutoCloseable {

    URI wsUri();

    URI wssUri();

    String name();

    @Override
    void close() throws Exception;
}
