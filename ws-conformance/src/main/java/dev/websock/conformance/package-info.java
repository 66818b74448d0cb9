/**
 * The conformance runner's API: {@link dev.websock.conformance.ConformanceRunner} runs Autobahn-numbered cases
 * written from RFC 6455 and RFC 7692 against any WebSocket server and returns a
 * {@link dev.websock.conformance.RunReport}; {@link dev.websock.conformance.Main} is the command line.
 */
package dev.websock.conformance;
