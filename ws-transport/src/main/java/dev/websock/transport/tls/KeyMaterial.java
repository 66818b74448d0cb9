package dev.websock.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * A private key and the X.509 certificate chain that goes with it (leaf first): what a TLS server presents.
 * Immutable. Loaded from a PKCS#12 keystore or from PEM files with JDK APIs only, made by
 * {@link SelfSignedCertificate}, and written back as PEM or PKCS#12.
 *
 * <p>Every loader checks that the private key belongs to the leaf certificate, so a mismatched pair fails at
 * start-up with a message instead of at the first handshake with an alert.
 */
public final class KeyMaterial {
    /** Key algorithms tried, in order, for a PKCS#8 key: the ones a TLS 1.3 or 1.2 server certificate uses. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");
    private static final String ALIAS = "websock";

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = privateKey;
        this.chain = chain;
    }

    /**
     * Pairs {@code privateKey} with {@code chain} (leaf first).
     *
     * @throws IllegalArgumentException when the chain is empty or the key does not belong to its first
     *                                  certificate
     */
    public static KeyMaterial of(PrivateKey privateKey, List<X509Certificate> chain) {
        Objects.requireNonNull(privateKey, "privateKey");
        List<X509Certificate> copy = List.copyOf(chain);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("the certificate chain is empty; give at least the server's "
                    + "own certificate");
        }
        if (!matches(privateKey, copy.getFirst().getPublicKey())) {
            throw new IllegalArgumentException("the private key (" + privateKey.getAlgorithm()
                    + ") does not belong to the certificate '" + copy.getFirst().getSubjectX500Principal()
                    + "'; pair each certificate with the key it was issued for");
        }
        return new KeyMaterial(privateKey, copy);
    }

    /**
     * Loads the first private-key entry of a PKCS#12 keystore, whose key is protected by the same
     * {@code password} as the store (as {@code keytool} and {@code openssl pkcs12 -export} write them).
     *
     * @throws IOException when the file cannot be read, the password is wrong, or it holds no private key;
     *                     the message says which
     */
    public static KeyMaterial fromPkcs12(Path file, char[] password) throws IOException {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read PKCS#12 keystore " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IOException("cannot open PKCS#12 keystore " + file + ": wrong password (or a damaged "
                        + "file); check the password it was exported with", e);
            }
            throw new IOException("cannot read PKCS#12 keystore " + file + ": " + e.getMessage()
                    + "; is it a PKCS#12 (.p12/.pfx) file?", e);
        }
        try {
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                if (!(store.getKey(alias, password) instanceof PrivateKey key)) {
                    continue;
                }
                Certificate[] certificates = store.getCertificateChain(alias);
                if (certificates == null || certificates.length == 0) {
                    throw new IOException("PKCS#12 keystore " + file + ": the key '" + alias
                            + "' has no certificate chain; export the key together with its certificate");
                }
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate certificate : certificates) {
                    chain.add((X509Certificate) certificate);
                }
                try {
                    return of(key, chain);
                } catch (IllegalArgumentException e) {
                    throw new IOException("PKCS#12 keystore " + file + ": " + e.getMessage(), e);
                }
            }
        } catch (UnrecoverableKeyException e) {
            throw new IOException("PKCS#12 keystore " + file + ": its private key has a password other than the "
                    + "store's; re-export it with one password for both", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("PKCS#12 keystore " + file + ": " + e.getMessage(), e);
        }
        throw new IOException("PKCS#12 keystore " + file + " holds no private key (only trusted certificates?);"
                + " export the server's key with its certificate chain into it");
    }

    /**
     * Loads a certificate chain (one or more {@code CERTIFICATE} blocks, leaf first) and an unencrypted
     * PKCS#8 private key ({@code PRIVATE KEY} block; RSA, EC or EdDSA) from PEM files (RFC 7468). Both may
     * be the same file.
     *
     * @throws IOException when a file cannot be read, holds no such block, holds a key in another format
     *                     (the message gives the {@code openssl} command that converts it), or the key does
     *                     not belong to the first certificate
     */
    public static KeyMaterial fromPem(Path certificateChain, Path privateKey) throws IOException {
        List<X509Certificate> chain = readCertificates(certificateChain);
        PrivateKey key = readPrivateKey(privateKey);
        try {
            return of(key, chain);
        } catch (IllegalArgumentException e) {
            throw new IOException(privateKey + " and " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<Pem.Block> blocks = parsePem(file);
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 CertificateFactory", e);
        }
        for (Pem.Block block : blocks) {
            if (!block.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new IOException(file + ": certificate " + (chain.size() + 1) + " cannot be parsed: "
                        + e.getMessage(), e);
            }
        }
        if (chain.isEmpty()) {
            throw new IOException(file + " holds no '-----BEGIN CERTIFICATE-----' block; give the PEM file "
                    + "with the server's certificate (and its intermediates after it)");
        }
        return chain;
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        for (Pem.Block block : parsePem(file)) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return decodePkcs8(file, block.der());
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IOException(file + " holds a '"
                        + block.label() + "' (the PKCS#1/SEC1 format), but a PKCS#8 'PRIVATE KEY' is needed;"
                        + " convert it with 'openssl pkcs8 -topk8 -nocrypt -in " + file.getFileName()
                        + " -out key-pkcs8.pem'");
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + " holds an encrypted private key;"
                        + " write it unencrypted (and protect the file instead) with 'openssl pkcs8 -in "
                        + file.getFileName() + " -out key-pkcs8.pem' (it asks for the password), or use a"
                        + " PKCS#12 keystore with KeyMaterial.fromPkcs12");
                default -> {
                    // Other blocks (certificates in a combined file, EC PARAMETERS) are not the key.
                }
            }
        }
        throw new IOException(file + " holds no '-----BEGIN PRIVATE KEY-----' block; give the PEM file with the"
                + " server's unencrypted PKCS#8 private key");
    }

    private static PrivateKey decodePkcs8(Path file, byte[] der) throws IOException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not this algorithm: a KeyFactory refuses a PKCS#8 structure naming another one.
            }
        }
        throw new IOException(file + ": the PKCS#8 private key is damaged or of an algorithm this JDK cannot "
                + "use for TLS (tried " + KEY_ALGORITHMS + ")");
    }

    private static List<Pem.Block> parsePem(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return Pem.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what {@code publicKey} verifies: the one check that works for every algorithm. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && publicKey.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            Signature verifier = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                // PSS signs only with parameters (RFC 8017 §8.1): the key's own restriction, else SHA-256's.
                AlgorithmParameterSpec parameters = key instanceof RSAKey rsa && rsa.getParams() != null
                        ? rsa.getParams() : new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
                signer.setParameter(parameters);
                verifier.setParameter(parameters);
            }
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The chain, leaf first; unmodifiable. */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** The leaf: the server's own certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** An in-memory PKCS#12 store with one key entry (alias {@code websock}) protected by {@code password}. */
    public KeyStore toKeyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, privateKey, password, chain.toArray(new X509Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("this JDK cannot build a PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the chain and the unencrypted PKCS#8 key as PEM. Each file is written to a temporary sibling
     * first and moved into place, so a reader never sees half a file; on POSIX file systems the key file is
     * readable by its owner only.
     */
    public void writePem(Path certificateChain, Path privateKey) throws IOException {
        StringBuilder certificates = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                certificates.append(Pem.encode("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new IOException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
            }
        }
        writeAtomically(certificateChain, certificates.toString().getBytes(StandardCharsets.US_ASCII), false);
        byte[] key = Pem.encode("PRIVATE KEY", this.privateKey.getEncoded()).getBytes(StandardCharsets.US_ASCII);
        writeAtomically(privateKey, key, true);
    }

    /** Writes a PKCS#12 keystore holding the key and chain under the alias {@code websock}; see {@link #writePem}. */
    public void writePkcs12(Path file, char[] password) throws IOException {
        KeyStore store = toKeyStore(password);
        Path temporary = temporarySibling(file, true);
        try (OutputStream out = Files.newOutputStream(temporary)) {
            store.store(out, password);
        } catch (GeneralSecurityException e) {
            Files.deleteIfExists(temporary);
            throw new IOException("cannot write PKCS#12 keystore " + file + ": " + e.getMessage(), e);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeAtomically(Path file, byte[] content, boolean secret) throws IOException {
        Path temporary = temporarySibling(file, secret);
        try {
            Files.write(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path temporarySibling(Path file, boolean secret) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        String prefix = "." + file.getFileName();
        if (secret && directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempFile(directory, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return Files.createTempFile(directory, prefix, ".tmp");
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + privateKey.getAlgorithm() + " key, chain "
                + Arrays.toString(chain.stream().map(c -> c.getSubjectX500Principal().getName()).toArray()) + "]";
    }
}
