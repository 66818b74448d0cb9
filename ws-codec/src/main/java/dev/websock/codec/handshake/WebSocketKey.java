package dev.websock.codec.handshake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.random.RandomGenerator;

/**
 * The {@code Sec-WebSocket-Key} nonce and the {@code Sec-WebSocket-Accept} value derived from it (RFC 6455
 * §4.1, §4.2.2): one place for both sides of the handshake.
 */
final class WebSocketKey {

    /** RFC 6455 §1.3: the GUID appended to the key before hashing. */
    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The length of a valid key: the base64 of 16 bytes. */
    static final int LENGTH = 24;

    /** The length of an accept value: the base64 of a 20-byte SHA-1 digest. */
    static final int ACCEPT_LENGTH = 28;

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.US_ASCII);

    // MessageDigest.getInstance looks the provider up each time; cloning a prototype skips that.
    private static final MessageDigest SHA1 = sha1();

    private WebSocketKey() {}

    /**
     * Whether {@code key} is the base64 of 16 bytes (RFC 6455 §4.1: "a randomly selected 16-byte value that
     * has been base64-encoded"): 22 characters of the base64 alphabet and "==". Its last character may
     * carry non-zero padding bits (RFC 4648 §3.5 lets a decoder accept that); it does no harm, since the
     * accept value is computed from the key's text, not from the bytes it encodes.
     */
    static boolean isValid(String key) {
        if (key == null || key.length() != LENGTH || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            char c = key.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /** What is wrong with a key that is not {@link #isValid}, for an error message. */
    static String problem(String key) {
        try {
            byte[] decoded = Base64.getDecoder().decode(key);
            return decoded.length == 16
                    ? "lacks the == padding; send the 24-character base64 of 16 bytes (RFC 6455 §4.1, RFC 4648 §4)"
                    : "decodes to " + decoded.length + " bytes, not 16 (RFC 6455 §4.1)";
        } catch (IllegalArgumentException notBase64) {
            return "is not base64 (RFC 6455 §4.1: the base64 of 16 random bytes, 24 characters ending in ==)";
        }
    }

    /** A fresh key: 16 bytes from {@code random}, in base64 (RFC 6455 §4.1: "randomly selected"). */
    static String generate(RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** {@code base64(SHA-1(key + GUID))} (RFC 6455 §4.2.2, step 5.4), as the 28 bytes that go on the wire. */
    static byte[] acceptBytes(String key) {
        byte[] input = new byte[key.length() + GUID_BYTES.length];
        for (int i = 0; i < key.length(); i++) {
            input[i] = (byte) key.charAt(i); // a valid key is ASCII
        }
        System.arraycopy(GUID_BYTES, 0, input, key.length(), GUID_BYTES.length);
        return Base64.getEncoder().encode(newSha1().digest(input));
    }

    /** {@link #acceptBytes} as a string. */
    static String accept(String key) {
        return new String(acceptBytes(key), StandardCharsets.ISO_8859_1);
    }

    private static MessageDigest sha1() {
        try {
            // Every Java platform must provide SHA-1 (see MessageDigest's class documentation).
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which every Java platform must provide", e);
        }
    }

    private static MessageDigest newSha1() {
        try {
            return (MessageDigest) SHA1.clone();
        } catch (CloneNotSupportedException e) {
            return sha1(); // a provider whose digests cannot be cloned: look one up each time
        }
    }
}
