package dev.websock.conformance.cases;

import java.util.List;

/**
 * How a case expects its connection to end.
 *
 * @param closedByRunner the runner sends the first close frame (true), or the server must fail the connection
 *                       by sending one (false, RFC 6455 §7.1.7)
 * @param codes          the close codes the server may send; when the list has 1000 a close frame without a
 *                       code is accepted too (§5.5.1 only says the code is "typically" echoed), otherwise the
 *                       server must name the error with a code (§7.1.7: "with an appropriate status code")
 * @param informational  the RFC leaves the closing to the implementation: report it, do not judge it
 * @param wrongCodeFails a wrong close code makes the whole case FAILED (the 7.7.* and 7.9.* cases test codes)
 */
public record ExpectedClose(boolean closedByRunner, List<Integer> codes, boolean informational, boolean wrongCodeFails) {

    /** The runner closes with 1000 once it saw what it expected; the server answers and closes TCP. */
    public static ExpectedClose normal() {
        return new ExpectedClose(true, List.of(1000), false, false);
    }

    /** The server must fail the connection itself with one of {@code codes} (§7.1.7). */
    public static ExpectedClose serverFails(Integer... codes) {
        return new ExpectedClose(false, List.of(codes), false, false);
    }

    /** The runner sends a close frame (perhaps a bad one); the server answers with one of {@code codes}. */
    public static ExpectedClose runnerCloses(Integer... codes) {
        return new ExpectedClose(true, List.of(codes), false, false);
    }

    public static ExpectedClose informationalClose() {
        return new ExpectedClose(true, List.of(1000), true, false);
    }

    public ExpectedClose failingOnWrongCode() {
        return new ExpectedClose(closedByRunner, codes, informational, true);
    }

    /** Whether the server's code (null: no code) is acceptable. */
    public boolean accepts(Integer serverCode) {
        return serverCode == null ? codes.contains(1000) : codes.contains(serverCode);
    }
}
