package dev.websock.conformance;

/**
 * How the server's behaviour in a case compares with what the case expects, with the levels the Autobahn
 * testsuite uses so results can be compared line by line.
 */
public enum Verdict {
    /** The server did what the RFC requires, as early as it could. */
    OK("OK"),
    /** The server was right but late, e.g. it failed an invalid text message only once the message was complete. */
    NON_STRICT("NON-STRICT"),
    /** The RFC leaves the outcome to the implementation: what happened is reported, not judged. */
    INFORMATIONAL("INFORMATIONAL"),
    /** The server does not implement the feature the case tests (e.g. it declined permessage-deflate). */
    UNIMPLEMENTED("UNIMPLEMENTED"),
    /** The server broke a rule, or did not do what the case expects in time. */
    FAILED("FAILED");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** The label in reports: "NON-STRICT" rather than the constant's name. */
    public String label() {
        return label;
    }
}
