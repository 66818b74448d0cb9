package dev.websock.codec;

/**
 * Which end of the connection this codec speaks for. It decides masking (RFC 6455 §5.1, §5.3): a client
 * masks every frame it sends and a server none, and each fails the connection with 1002 when the peer
 * does otherwise.
 */
public enum Role {
    SERVER,
    CLIENT;

    /** Whether frames this role receives must be masked. */
    public boolean expectsMaskedFrames() {
        return this == SERVER;
    }
}
