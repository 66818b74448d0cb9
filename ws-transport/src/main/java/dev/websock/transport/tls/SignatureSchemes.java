package dev.websock.transport.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The TLS signature schemes (RFC 8446 §4.2.3) a server with a given key and certificate chain can use: those its
 * private key signs with (CertificateVerify in TLS 1.3, ServerKeyExchange in TLS 1.2), and those that signed the
 * certificates of its chain. A server engine limited to these negotiates exactly what it would with the JDK's
 * full list, because every other scheme the peer offers is one this server can never use, yet it keeps less:
 * the JDK stores, in every connection's session, the peer's offered schemes that the engine supports (a JDK client
 * offers 16; each is a list node of 24 B, kept for the connection's life).
 *
 * <p>SHA-1 schemes are included only for a chain signed with SHA-1: JDK 24 and later refuse them for handshake
 * signatures by default (RFC 9155 deprecates them in TLS 1.2).
 */
final class SignatureSchemes {

    private SignatureSchemes() {
    }

    /**
     * The scheme names ({@code SSLParameters.setSignatureSchemes}) for a server presenting {@code chain} with
     * {@code key}, or {@code null} when the key or a certificate's signature algorithm is not one this class
     * knows: then the engine keeps the JDK's own list, which can do no harm.
     */
    static String[] forServer(PrivateKey key, List<X509Certificate> chain) {
        Set<String> schemes = new LinkedHashSet<>();
        if (!addKeySchemes(key, schemes)) {
            return null;
        }
        for (X509Certificate certificate : chain) {
            if (!addCertificateSchemes(certificate.getSigAlgName(), schemes)) {
                return null;
            }
        }
        return schemes.toArray(new String[0]);
    }

    /** The schemes {@code key} signs handshakes with, in TLS 1.3 and 1.2; false for a key of another kind. */
    private static boolean addKeySchemes(PrivateKey key, Set<String> schemes) {
        switch (key.getAlgorithm()) {
            // TLS 1.3 binds each ECDSA scheme to one curve; TLS 1.2 lets any of them sign with any curve.
            case "EC" -> schemes.addAll(List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
                    "ecdsa_secp521r1_sha512"));
            // An rsaEncryption key signs PSS (the only RSA kind in TLS 1.3) and PKCS #1 v1.5 (TLS 1.2).
            case "RSA" -> schemes.addAll(List.of("rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
                    "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512"));
            case "RSASSA-PSS" -> schemes.addAll(List.of("rsa_pss_pss_sha256", "rsa_pss_pss_sha384",
                    "rsa_pss_pss_sha512"));
            case "Ed25519" -> schemes.add("ed25519");
            case "Ed448" -> schemes.add("ed448");
            case "EdDSA" -> {
                if (!(key instanceof EdECKey edwards)) {
                    return false;
                }
                switch (edwards.getParams().getName()) {
                    case "Ed25519" -> schemes.add("ed25519");
                    case "Ed448" -> schemes.add("ed448");
                    default -> {
                        return false;
                    }
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The schemes whose algorithm is {@code signatureAlgorithm} (a certificate's, as the JDK names it), which a
     * peer must offer for the certificate to be acceptable (RFC 8446 §4.4.2.2); false for one not known here.
     */
    private static boolean addCertificateSchemes(String signatureAlgorithm, Set<String> schemes) {
        switch (signatureAlgorithm.toUpperCase(Locale.ROOT)) {
            case "SHA256WITHECDSA" -> schemes.add("ecdsa_secp256r1_sha256");
            case "SHA384WITHECDSA" -> schemes.add("ecdsa_secp384r1_sha384");
            case "SHA512WITHECDSA" -> schemes.add("ecdsa_secp521r1_sha512");
            case "SHA1WITHECDSA" -> schemes.add("ecdsa_sha1");
            case "SHA256WITHRSA" -> schemes.add("rsa_pkcs1_sha256");
            case "SHA384WITHRSA" -> schemes.add("rsa_pkcs1_sha384");
            case "SHA512WITHRSA" -> schemes.add("rsa_pkcs1_sha512");
            case "SHA1WITHRSA" -> schemes.add("rsa_pkcs1_sha1");
            // The hash is in the certificate's parameters: allow every PSS scheme rather than parse them.
            case "RSASSA-PSS" -> schemes.addAll(List.of("rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384",
                    "rsa_pss_rsae_sha512", "rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512"));
            case "ED25519" -> schemes.add("ed25519");
            case "ED448" -> schemes.add("ed448");
            default -> {
                return false;
            }
        }
        return true;
    }
}
