/**
 * The WebSocket protocol without I/O (RFC 6455): {@link dev.websock.codec.FrameDecoder} and
 * {@link dev.websock.codec.FrameEncoder} for frames, {@link dev.websock.codec.MessageDecoder} for the rules
 * that span frames, {@link dev.websock.codec.CloseCode} and {@link dev.websock.codec.Opcode} for the numbers.
 */
package dev.websock.codec;
