/**
 * The pure WebSocket protocol (RFC 6455, RFC 7692): bytes in, events out; messages in, bytes out. No I/O,
 * no threads, no clock: another library can bring its own.
 */
module dev.websock.codec {
    requires dev.websock.utf8;

    exports dev.websock.codec;
    exports dev.websock.codec.handshake;
    exports dev.websock.codec.extension;
    // dev.websock.codec.zlib (the FFM binding of the system zlib) stays internal. Its restricted calls need
    // --enable-native-access=dev.websock.codec; without it JDK 25 warns once and allows them.
}
