/**
 * The kernels behind the public API: one exact scalar UTF-8 automaton ({@link dev.websock.utf8.kernel.Utf8Dfa})
 * that decides every verdict and error index, and the {@link dev.websock.utf8.kernel.Kernel}s that unmask and
 * prove long valid prefixes fast (scalar word-at-a-time, or Vector API). Not exported: it may change.
 */
package dev.websock.utf8.kernel;
