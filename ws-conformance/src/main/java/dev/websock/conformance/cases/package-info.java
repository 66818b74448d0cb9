/**
 * The case catalogue, numbered as Autobahn's server cases, the executor that runs one case with bounded time,
 * and the closing judge. Internal: not exported.
 */
package dev.websock.conformance.cases;
