package dev.websock.conformance;

/**
 * How one case's connection ended (RFC 6455 §7.1): who sent the first close frame, whether the server answered
 * a close frame with one, whether the server then closed the TCP connection (§7.1.1: "the underlying TCP
 * connection, in most normal cases, SHOULD be closed first by the server"), the codes, and the verdict.
 *
 * @param verdict              the closing verdict
 * @param note                 why, in words
 * @param runnerClosedFirst    the runner sent a close frame before the server did
 * @param serverSentClose      the server sent a close frame (first, or as its reply)
 * @param serverRepliedToClose the runner closed first and the server answered with a close frame
 * @param serverClosedTcp      the server closed the TCP connection (the runner did not have to drop it)
 * @param runnerDroppedTcp     the runner dropped the TCP connection (after a timeout, or to fail a bad server)
 * @param runnerCloseCode      the code in the runner's close frame, or null
 * @param serverCloseCode      the code in the server's close frame, or null
 * @param serverCloseReason    the reason in the server's close frame, or null
 * @param clean                close frames went both ways and the server closed TCP
 */
public record ClosingBehaviour(ClosingVerdict verdict, String note, boolean runnerClosedFirst, boolean serverSentClose,
                               boolean serverRepliedToClose, boolean serverClosedTcp, boolean runnerDroppedTcp,
                               Integer runnerCloseCode, Integer serverCloseCode, String serverCloseReason,
                               boolean clean) {
}
