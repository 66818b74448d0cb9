package dev.websock.conformance.client;

import dev.websock.conformance.wire.Bytes;
import java.util.Arrays;

/**
 * Something the runner observed from the server that a case's expectation is compared with, in the order it
 * happened: a complete message, a pong, a ping, or a marker the case recorded itself ("the connection was still
 * open after the first pause"). Autobahn compares the same kind of list.
 */
public sealed interface Observation {

    /** A short, readable form for reports. */
    String describe();

    static Observation text(String text) {
        return new Message(false, Bytes.utf8(text));
    }

    static Observation text(byte[] utf8) {
        return new Message(false, utf8);
    }

    static Observation binary(byte[] payload) {
        return new Message(true, payload);
    }

    static Observation pong(byte[] payload) {
        return new Pong(payload);
    }

    static Observation marker(String label) {
        return new Marker(label);
    }

    /** A complete (reassembled, inflated) message. */
    record Message(boolean binary, byte[] payload) implements Observation {
        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && m.binary == binary && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String describe() {
            return "message(" + (binary ? "binary" : "text") + ", " + payload.length + " bytes, "
                    + Bytes.preview(payload, 40) + ")";
        }
    }

    record Pong(byte[] payload) implements Observation {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pong p && Arrays.equals(p.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String describe() {
            return "pong(" + payload.length + " bytes, " + Bytes.preview(payload, 40) + ")";
        }
    }

    record Ping(byte[] payload) implements Observation {
        @Override
        public boolean equals(Object o) {
            return o instanceof Ping p && Arrays.equals(p.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String describe() {
            return "ping(" + payload.length + " bytes, " + Bytes.preview(payload, 40) + ")";
        }
    }

    /** Recorded by a case, e.g. Autobahn's ("timeout", "A"): the connection was still open at that point. */
    record Marker(String label) implements Observation {
        @Override
        public String describe() {
            return "still-open(" + label + ")";
        }
    }
}
