/**
 * permessage-deflate for the runner (RFC 7692): offers, the checks on the server's response, compression with
 * {@code java.util.zip}, and an inflater that checks every back-reference against the agreed window.
 * Internal: not exported.
 */
package dev.websock.conformance.deflate;
