package dev.websock.utf8;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/** Collects the first few failures of an exhaustive loop, so one run reports a pattern rather than one case. */
public final class Mismatches {

    private static final int KEPT = 20;

    private final List<String> first = new ArrayList<>();
    private long count;
    private long checked;

    public Mismatches() {}

    public void add(String description) {
        if (count++ < KEPT) {
            first.add(description);
        }
    }

    /** Counts a case that was checked (so the test can also prove it ran every case). */
    public void checked() {
        checked++;
    }

    public long checkedCount() {
        return checked;
    }

    public void assertNone() {
        if (count > 0) {
            // Loops that do not count their cases would otherwise report "of 0 cases".
            String of = checked > 0 ? " of " + checked + " cases" : "";
            fail(count + " mismatches" + of + "; the first ones:\n  " + String.join("\n  ", first));
        }
    }
}
