/**
 * A conformance runner for any WebSocket server, written from RFC 6455 and RFC 7692; depends on the JDK only.
 *
 * <p>{@code dev.websock.conformance} is the API ({@link dev.websock.conformance.ConformanceRunner}) and the
 * command line ({@link dev.websock.conformance.Main}); the frame writer and reader, the client connection, the
 * deflate code, the cases and the report writers are internal and may change.
 */
module dev.websock.conformance {
    exports dev.websock.conformance;
}
