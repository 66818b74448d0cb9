/** The JSON report and the static HTML report of a run. Internal: not exported. */
package dev.websock.conformance.report;
