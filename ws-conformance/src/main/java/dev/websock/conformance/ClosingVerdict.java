package dev.websock.conformance;

/** How the connection of a case ended, judged against RFC 6455 §7 (Autobahn's "closing behaviour" levels). */
public enum ClosingVerdict {
    /** The closing handshake was complete (close sent and received) and the server closed TCP (§7.1.1). */
    OK("OK"),
    /** The handshake was clean but the server's close code was not one the case allows (§7.4). */
    WRONG_CODE("WRONG CODE"),
    /** The closing handshake was not complete, or the server did not close the TCP connection (§7.1.1, §7.1.7). */
    UNCLEAN("UNCLEAN"),
    /** The runner had to drop the TCP connection itself (§7.1.1: the server should close it first). */
    FAILED_BY_CLIENT("FAILED BY CLIENT"),
    /** The wrong endpoint closed: the server did not fail the connection when it had to, or failed it when it must not. */
    FAILED("FAILED"),
    /** The RFC leaves closing to the implementation in this case. */
    INFORMATIONAL("INFORMATIONAL");

    private final String label;

    ClosingVerdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
