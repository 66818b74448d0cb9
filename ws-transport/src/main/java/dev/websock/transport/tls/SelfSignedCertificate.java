package dev.websock.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Makes a self-signed X.509 v3 server certificate (RFC 5280) with an EC P-256 key, for development: a
 * server started without key material can serve TLS at once, and a client that trusts this one certificate
 * can verify it. The JDK has no public certificate builder, so the certificate is encoded here with
 * {@link Der} and signed with {@link Signature} ({@code SHA256withECDSA}).
 *
 * <p>The certificate carries the extensions a TLS client checks: subjectAltName with the DNS names and IP
 * addresses it is valid for (RFC 6125 clients ignore the CN), basicConstraints (not a CA), keyUsage
 * digitalSignature and extendedKeyUsage serverAuth.
 */
public final class SelfSignedCertificate {
    /** How long {@link #forLocalhost()} certificates are valid: a year, longer than any development setup. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    // RFC 5758 §3.2 and RFC 5280 §4.2.1: the OIDs of the algorithm, the name attribute and the extensions.
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    /** Clocks of clients and servers disagree; starting the validity an hour back keeps a fresh cert valid. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private SelfSignedCertificate() {
    }

    /** A certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid for {@link #DEFAULT_VALIDITY}. */
    public static KeyMaterial forLocalhost() {
        return generate("localhost", List.of("localhost"),
                List.of(InetAddress.getLoopbackAddress(), loopback6()), DEFAULT_VALIDITY);
    }

    private static InetAddress loopback6() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Generates a key pair and a certificate for it.
     *
     * @param commonName  the subject's and issuer's CN, such as the host name
     * @param dnsNames    host names the certificate is valid for (subjectAltName dNSName)
     * @param ipAddresses addresses it is valid for (subjectAltName iPAddress)
     * @param validity    how long from now it is valid
     * @throws IllegalArgumentException when there is neither a DNS name nor an address, or the validity is not
     *                                  positive
     */
    public static KeyMaterial generate(String commonName, List<String> dnsNames, List<InetAddress> ipAddresses,
            Duration validity) {
        Objects.requireNonNull(commonName, "commonName");
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name or IP address: "
                    + "clients match the host they connect to against these, not against the CN");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive, was " + validity);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();

            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            byte[] name = Der.sequence(Der.set(Der.sequence(
                    Der.objectIdentifier(COMMON_NAME), Der.utf8String(commonName))));
            byte[] algorithm = Der.sequence(Der.objectIdentifier(ECDSA_WITH_SHA256));
            byte[] tbs = Der.sequence(
                    Der.explicit(0, Der.integer(BigInteger.TWO)), // version v3 (RFC 5280 §4.1.2.1)
                    Der.integer(serialNumber()),
                    algorithm,
                    name,
                    Der.sequence(Der.time(now.minus(BACKDATE)), Der.time(now.plus(validity))),
                    name,
                    keys.getPublic().getEncoded(), // already a SubjectPublicKeyInfo
                    Der.explicit(3, Der.sequence(
                            extension(BASIC_CONSTRAINTS, true, Der.sequence()), // cA defaults to FALSE
                            extension(KEY_USAGE, true, Der.bitString(new byte[] {(byte) 0x80}, 7)),
                            extension(EXTENDED_KEY_USAGE, false, Der.sequence(Der.objectIdentifier(SERVER_AUTH))),
                            extension(SUBJECT_ALT_NAME, false, subjectAltNames(dnsNames, ipAddresses)))));

            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            // SHA256withECDSA already yields the DER ECDSA-Sig-Value that RFC 5758 §3.2 puts in the bit string.
            byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign(), 0));

            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(certificate));
            return KeyMaterial.of(keys.getPrivate(), List.of(parsed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make an EC P-256 certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Loads the certificate and key from the two PEM files when both exist, otherwise makes
     * {@link #forLocalhost()} material and writes it there: a development server keeps one certificate
     * across restarts, so a browser exception or a client trust entry stays valid.
     */
    public static KeyMaterial loadOrCreate(Path certificateFile, Path privateKeyFile) throws IOException {
        if (Files.exists(certificateFile) && Files.exists(privateKeyFile)) {
            return KeyMaterial.fromPem(certificateFile, privateKeyFile);
        }
        KeyMaterial material = forLocalhost();
        material.writePem(certificateFile, privateKeyFile);
        return material;
    }

    /** RFC 5280 §4.1.2.2: positive, at most 20 octets, unpredictable; 16 random bytes with the top bit clear. */
    private static BigInteger serialNumber() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        bytes[0] &= 0x7f;
        bytes[0] |= 0x01; // never zero, never a shorter encoding than needed
        return new BigInteger(bytes);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        if (critical) {
            return Der.sequence(Der.objectIdentifier(oid), Der.bool(true), Der.octetString(value));
        }
        // DER leaves out a BOOLEAN that has its DEFAULT value FALSE (X.690 §11.5).
        return Der.sequence(Der.objectIdentifier(oid), Der.octetString(value));
    }

    /** RFC 5280 §4.2.1.6: dNSName is [2] IA5String, iPAddress is [7] OCTET STRING of 4 or 16 bytes. */
    private static byte[] subjectAltNames(List<String> dnsNames, List<InetAddress> ipAddresses) {
        List<byte[]> names = new ArrayList<>();
        for (String dnsName : dnsNames) {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(dnsName) || dnsName.isBlank()) {
                throw new IllegalArgumentException("DNS name '" + dnsName + "' is not ASCII; give the "
                        + "A-label (punycode) form");
            }
            names.add(Der.implicitPrimitive(2, dnsName.getBytes(StandardCharsets.US_ASCII)));
        }
        for (InetAddress address : ipAddresses) {
            byte[] bytes = address instanceof Inet6Address six ? six.getAddress() : address.getAddress();
            names.add(Der.implicitPrimitive(7, bytes));
        }
        return Der.sequence(names.toArray(new byte[0][]));
    }
}
