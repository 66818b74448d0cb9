package dev.websock.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.conformance.reference.ExpectedResults;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Runs the whole catalogue (reduced limits unless -DconformanceFull=true) and compares with the expected results. */
final class ReferenceRun {

    private ReferenceRun() {}

    static RunReport runAndCompare(URI url, String name, String expectedResource) throws Exception {
        boolean full = Boolean.getBoolean("conformance.full");
        RunReport report = ConformanceRunner.builder(url).insecure(true).reducedLimits(!full)
                .outputDirectory(Path.of("target", "conformance", name)).build().run();
        System.out.print(report.summary());
        assertEquals(517, report.cases().size(), "the whole catalogue runs");
        List<String> differences = ExpectedResults.load(expectedResource).differences(report);
        assertTrue(differences.isEmpty(), name + " differs from " + expectedResource + ":\n"
                + String.join("\n", differences));
        return report;
    }
}
