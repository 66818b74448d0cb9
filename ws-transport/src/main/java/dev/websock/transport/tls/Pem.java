package dev.websock.transport.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The textual encoding of RFC 7468: {@code -----BEGIN label-----}, base64 of the DER, {@code -----END
 * label-----}. Text outside the blocks (comments, "Bag Attributes" from openssl) is ignored, as §2 allows.
 */
final class Pem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /** One block: its label (such as {@code CERTIFICATE}) and the decoded DER bytes. */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    /**
     * Every block of {@code text}, in order.
     *
     * @throws IllegalArgumentException when a block has no matching end line or its base64 is damaged; the
     *                                  message names the label
     */
    static List<Block> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
            if (labelEnd < 0) {
                throw new IllegalArgumentException("a PEM BEGIN line is not closed with '-----'");
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd);
            String endLine = END + label + DASHES;
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                throw new IllegalArgumentException("PEM block '" + label + "' has no '" + endLine + "' line");
            }
            String body = text.substring(labelEnd + DASHES.length(), end);
            if (body.contains(":")) {
                // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") mark the legacy encrypted form.
                throw new IllegalArgumentException("PEM block '" + label + "' has RFC 1421 headers (it is "
                        + "encrypted the legacy OpenSSL way); write it without encryption, e.g. with "
                        + "'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
            }
            try {
                blocks.add(new Block(label, Base64.getMimeDecoder().decode(body.strip())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block '" + label + "' has damaged base64: "
                        + e.getMessage(), e);
            }
            from = end + endLine.length();
        }
    }

    /** One block with 64-character lines, as RFC 7468 §2 asks generators to write. */
    static String encode(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return BEGIN + label + DASHES + "\n" + base64 + "\n" + END + label + DASHES + "\n";
    }
}
