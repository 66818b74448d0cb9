package dev.websock.conformance;

import java.time.Duration;
import java.util.List;

/**
 * The result of one case.
 *
 * @param id          the case number, as Autobahn numbers it ("6.4.3")
 * @param description what the runner sends, including chopped writes and pauses
 * @param expectation what a conforming server does
 * @param verdict     the verdict on the server's behaviour (messages, pongs, when it failed the connection)
 * @param note        why the verdict is what it is, in words
 * @param expected    the observations each acceptable verdict expects, e.g. "OK: [message(text, 13 bytes ...)]"
 * @param observed    what the runner observed, in order
 * @param closing     how the connection ended
 * @param wireLog     the frames both ways, with times
 * @param extension   the permessage-deflate parameters the server agreed to, or null
 * @param duration    from connecting to the end of the TCP connection
 */
public record CaseResult(String id, String description, String expectation, Verdict verdict, String note,
                         List<String> expected, List<String> observed, ClosingBehaviour closing,
                         List<String> wireLog, String extension, Duration duration) {

    /**
     * The one-word outcome shown in the index, as Autobahn shows it: the verdict, unless the messages were
     * acceptable and the closing was not, in which case the closing verdict ("UNCLEAN", "WRONG CODE").
     */
    public String outcome() {
        boolean behaviourAcceptable = verdict == Verdict.OK || verdict == Verdict.NON_STRICT
                || verdict == Verdict.INFORMATIONAL;
        boolean closingAcceptable = closing.verdict() == ClosingVerdict.OK
                || closing.verdict() == ClosingVerdict.INFORMATIONAL;
        if (behaviourAcceptable && !closingAcceptable) {
            return closing.verdict().label();
        }
        return verdict.label();
    }

    /** Why the outcome is what it is: the closing note when the closing decided it, else the verdict's note. */
    public String reason() {
        return outcome().equals(verdict.label()) ? note : closing.note();
    }

    /** OK (or INFORMATIONAL, where the RFC leaves the outcome open) with a clean close. */
    public boolean passed() {
        String outcome = outcome();
        return outcome.equals("OK") || outcome.equals("INFORMATIONAL");
    }

    /** The category: the number before the first dot ("6" for "6.4.3"). */
    public String category() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
