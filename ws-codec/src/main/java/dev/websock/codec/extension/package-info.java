/**
 * WebSocket extensions (RFC 6455 §9) and permessage-deflate (RFC 7692).
 *
 * <p>Negotiation: {@link dev.websock.codec.extension.ExtensionHeader} reads and writes
 * {@code Sec-WebSocket-Extensions}; {@link dev.websock.codec.extension.ExtensionNegotiation} chooses among offers
 * (server) or checks a response (client) for the supported {@link dev.websock.codec.extension.Extension}s,
 * giving one {@link dev.websock.codec.extension.AgreedExtension} per agreed extension and connection.
 *
 * <p>Transforms: an agreed extension makes an {@link dev.websock.codec.extension.InboundTransform} for received
 * messages and an {@link dev.websock.codec.extension.OutboundTransform} for sent ones; for permessage-deflate,
 * {@link dev.websock.codec.extension.MessageInflater} (bounded inflation: a message never inflates past its
 * limit, nor is it ever held whole) and {@link dev.websock.codec.extension.MessageDeflater}.
 *
 * <p>Windows below 15 bits use the system zlib through the Foreign Function and Memory API: grant
 * {@code --enable-native-access=dev.websock.codec} (module path) or {@code --enable-native-access=ALL-UNNAMED}
 * (class path) to avoid JDK 25's warning. See {@link dev.websock.codec.extension.MessageDeflater.Backend}.
 */
package dev.websock.codec.extension;
