/**
 * The runner's own frame writer and reader (RFC 6455 §5), deliberately independent of {@code ws-codec} so a bug
 * in the codec cannot hide itself. The writer sends any frame, rule-breaking ones included; the reader parses
 * any chunking. Internal: not exported.
 */
package dev.websock.conformance.wire;
