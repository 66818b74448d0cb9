package dev.websock.conformance.cases;

/** What a case does on an open connection: sends, pauses, sets what it expects. */
@FunctionalInterface
public interface Script {
    void run(CaseContext ctx) throws Exception;
}
