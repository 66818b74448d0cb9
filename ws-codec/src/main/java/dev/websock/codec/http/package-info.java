/**
 * HTTP/1.1 syntax (RFC 9110, RFC 9112) shared by the handshake and the extension header parsers: one definition of
 * a token, of whitespace and of a list element. Not exported: it may change.
 */
package dev.websock.codec.http;
