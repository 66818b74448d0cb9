package dev.websock.transport.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TLS signature schemes (RFC 8446 §4.2.3) a server with a given key and certificate chain can use, to limit
 * its engines to: every scheme of the key's type, and those that signed the certificates of its chain. The JDK
 * keeps, in every connection's session, the schemes the client offered that the engine supports (a JDK client
 * offers 16, a list node of 24 B each, kept for the connection's life); limited, it keeps at most a few.
 *
 * <p>The outcome of a handshake does not change, with one exception, on purpose: the server no longer signs with
 * SHA-1 or SHA-224 in TLS 1.2 (unless its own chain is signed with SHA-1, whose scheme is then listed). RFC 9155 deprecates SHA-1 signatures (JDK 24 and later already refuse them by
 * default), and RFC 8446 defines no SHA-224 scheme; a client that offers nothing stronger is refused, where the
 * JDK's own list would have let SHA-224 through. Everything else follows from how the JDK (25) chooses:
 * <ul>
 *   <li>In TLS 1.3 it picks the kind of key to present from the key types of the client's certificate schemes
 *       ({@code signature_algorithms_cert}, else {@code signature_algorithms}), so every scheme of the key's type
 *       is listed, not only the one it will sign with: an EC P-256 key gets all three ECDSA schemes.</li>
 *   <li>It signs only with the ECDSA scheme of the key's own curve, in TLS 1.2 too, and only with {@code rsa_pss_rsae}
 *       or {@code rsa_pkcs1} schemes for an rsaEncryption key ({@code rsa_pss_pss} for an RSASSA-PSS key).</li>
 *   <li>Each certificate's signature must be one the client accepts (RFC 8446 §4.4.2.2), so the chain's own
 *       algorithms are listed, whatever the key.</li>
 * </ul>
 */
final class SignatureSchemes {

    private static final List<String> ECDSA = List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
            "ecdsa_secp521r1_sha512");
    private static final List<String> RSA = List.of("rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
            "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512");
    private static final List<String> RSA_PSS = List.of("rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512");
    private static final List<String> EDDSA = List.of("ed25519", "ed448");

    private SignatureSchemes() {
    }

    /**
     * The scheme names ({@code SSLParameters.setSignatureSchemes}) for a server presenting {@code chain} with
     * {@code key}, or {@code null} to keep the engine's own list: when {@code configured} (the list a server engine
     * of the context starts with) is not {@code null}, because then the host set {@code jdk.tls.server.SignatureSchemes}
     * and its policy stands; or when the key or a certificate's signature algorithm is not one this class knows.
     */
    static String[] forServer(PrivateKey key, List<X509Certificate> chain, String[] configured) {
        if (configured != null) {
            return null;
        }
        List<String> keySchemes = switch (key.getAlgorithm()) {
            case "EC" -> ECDSA;
            case "RSA" -> RSA;
            case "RSASSA-PSS" -> RSA_PSS;
            case "EdDSA", "Ed25519", "Ed448" -> EDDSA;
            default -> null;
        };
        if (keySchemes == null) {
            return null;
        }
        Set<String> schemes = new LinkedHashSet<>(keySchemes);
        for (X509Certificate certificate : chain) {
            List<String> signedWith = certificateSchemes(certificate.getSigAlgName());
            if (signedWith == null) {
                return null;
            }
            schemes.addAll(signedWith);
        }
        return schemes.toArray(new String[0]);
    }

    /** The schemes whose algorithm is {@code signatureAlgorithm}, a certificate's as the JDK names it, or null. */
    private static List<String> certificateSchemes(String signatureAlgorithm) {
        return switch (signatureAlgorithm.toUpperCase(Locale.ROOT)) {
            case "SHA256WITHECDSA" -> List.of("ecdsa_secp256r1_sha256");
            case "SHA384WITHECDSA" -> List.of("ecdsa_secp384r1_sha384");
            case "SHA512WITHECDSA" -> List.of("ecdsa_secp521r1_sha512");
            case "SHA1WITHECDSA" -> List.of("ecdsa_sha1");
            case "SHA256WITHRSA" -> List.of("rsa_pkcs1_sha256");
            case "SHA384WITHRSA" -> List.of("rsa_pkcs1_sha384");
            case "SHA512WITHRSA" -> List.of("rsa_pkcs1_sha512");
            case "SHA1WITHRSA" -> List.of("rsa_pkcs1_sha1");
            // The hash is in the certificate's parameters: every PSS scheme rather than parse them.
            case "RSASSA-PSS" -> List.of("rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
                    "rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512");
            case "ED25519" -> List.of("ed25519");
            case "ED448" -> List.of("ed448");
            default -> null;
        };
    }
}
