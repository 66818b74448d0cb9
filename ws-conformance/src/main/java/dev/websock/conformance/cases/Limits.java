package dev.websock.conformance.cases;

/**
 * Sizes, counts and times for a run. The full limits are Autobahn's; the reduced ones keep every case and its
 * shape (same fragment and chop sizes, same pauses relative to each other) with smaller messages and fewer
 * repetitions in 9.*, 12.* and 13.*, so a CI run of the whole catalogue against several servers stays within
 * minutes.
 *
 * @param reduced          whether the reduced sizes and counts are used
 * @param caseTimeoutMillis the longest a case in 1-7 and 10 waits for what it expects
 * @param bulkTimeoutMillis the longest a case in 9, 12 or 13 may take
 * @param failWaitMillis   how long the runner waits for a server to fail the connection when it must (Autobahn: 1 s)
 * @param closeTimeoutMillis how long the runner waits for the server's close frame and its TCP close (§7.1.1)
 * @param pauseMillis      the pause inside cases that test timing (6.4.*, 5.19/5.20; Autobahn: 1 s)
 */
public record Limits(boolean reduced, int caseTimeoutMillis, int bulkTimeoutMillis, int failWaitMillis,
                     int closeTimeoutMillis, int pauseMillis) {

    /** Autobahn's sizes and counts: 16 MiB messages, 1000 round trips, 1000 compressed messages per case. */
    public static Limits full() {
        return new Limits(false, 10_000, 300_000, 1000, 2000, 1000);
    }

    /** Sixteen times smaller messages in 9.*, a tenth of the round trips, 10 messages per 12/13 case. */
    public static Limits reducedLimits() {
        return new Limits(true, 5_000, 30_000, 1000, 2000, 500);
    }

    /** A 9.* message size: the full size, or a sixteenth of it when reduced. */
    public int size(int full) {
        return reduced ? full / 16 : full;
    }

    /** A repetition count: the full count, or a tenth of it when reduced (at least one). */
    public int count(int full) {
        return reduced ? Math.max(1, full / 10) : full;
    }

    /** The number of messages in each 12.* and 13.* case. */
    public int compressedMessages() {
        return reduced ? 10 : 1000;
    }
}
