package dev.websock.codec.extension;

import dev.websock.codec.Role;
import dev.websock.codec.zlib.Zlib;
import dev.websock.codec.zlib.Compressor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The permessage-deflate extension (RFC 7692): its configuration, and its negotiation in either role. Each
 * agreement is a {@link DeflateAgreement}, whose transforms are {@link MessageDeflater} and
 * {@link MessageInflater}.
 *
 * <h2>Server policy</h2>
 * The client's offers are tried in order and the first acceptable one is accepted (RFC 7692 §5). An offer is
 * declined (RFC 7692 §7) when it is malformed, has a parameter RFC 7692 does not define, has one twice, or has
 * a bad value: a value on {@code server_no_context_takeover} or {@code client_no_context_takeover}, none on
 * {@code server_max_window_bits}, or window bits that are not a decimal 8-15 without leading zeros. Every
 * well-formed offer is acceptable; the response then says:
 * <ul>
 *   <li>{@code server_no_context_takeover} when the client asked for it, or {@link Builder#noContextTakeover}
 *       is set (§7.1.1.1);</li>
 *   <li>{@code client_no_context_takeover} when the client offered it, which binds its hint and lets this server
 *       reset, and release, its inflater between messages, or when {@link Builder#requestPeerNoContextTakeover}
 *       is set (§7.1.1.2);</li>
 *   <li>{@code server_max_window_bits=W}, W the smaller of the client's limit and {@link Builder#maxWindowBits},
 *       when the client set a limit or W is below 15 (§7.1.2.1). A limit below 15 is honoured with a real
 *       smaller window, not declined: see {@link MessageDeflater.Backend};</li>
 *   <li>{@code client_max_window_bits=M}, M = {@link Builder#peerMaxWindowBits}, only when the client offered the
 *       parameter and M is below the client's own value (§7.1.2.2).</li>
 * </ul>
 *
 * <h2>Client policy</h2>
 * One offer: {@code permessage-deflate}, {@code server_no_context_takeover} and {@code server_max_window_bits}
 * when this client asks for them, {@code client_no_context_takeover} when it will not keep context, and
 * {@code client_max_window_bits} (with this client's own limit below 15 as value). A response is refused
 * (the connection must fail, RFC 7692 §7) for an unknown, duplicate or invalid parameter, a
 * {@code client_max_window_bits} without a value, or a {@code server_max_window_bits} above the one offered.
 *
 * <h2>Memory</h2>
 * zlib's state is large: deflate {@code (1 << (windowBits + 2)) + (1 << (memLevel + 9))} bytes plus about 6 KiB
 * (zlib's documented formula, zconf.h), inflate a 32 KiB window (the JDK's inflater always allocates 15 bits)
 * plus about 7 KiB. Measured (resident memory per instance, Linux x86-64, zlib 1.2.13, buffers excluded):
 * <table>
 *   <caption>Deflate state in KiB, by window bits and memLevel</caption>
 *   <tr><th>window bits</th><th>memLevel 8</th><th>memLevel 5</th><th>memLevel 1</th></tr>
 *   <tr><td>15</td><td>264 ({@code java.util.zip})</td><td>158</td><td>144</td></tr>
 *   <tr><td>12</td><td>159</td><td>48</td><td>33</td></tr>
 *   <tr><td>9</td><td>144</td><td>33</td><td>18</td></tr>
 * </table>
 * Below 15 bits or memLevel 8 the figures are the native zlib's (with about 9 KiB of {@code z_stream} and
 * bookkeeping); the Huffman-only fallback is a {@code java.util.zip} deflater, 264 KiB whatever the window.
 *
 * <p>So an idle connection keeps none: the compressors and inflaters of one configuration, with their buffers
 * ({@link Builder#bufferSize}), are shared ({@link CompressorPool}, {@link InflaterPool}; each keeps twice as many
 * idle ones as there are cores). A connection takes one when it starts a message and gives it back when it goes
 * idle ({@link OutboundTransform#releaseIdle()}, {@link InboundTransform#releaseIdle()}; the server calls them after
 * 2 s without traffic), or after each message without context takeover. What context takeover needs across the
 * pause is kept as bytes instead: the last 4 KiB this side sent (see {@link MessageDeflater}) and the inflater's
 * window, the last 32 KiB it received or less (see {@link MessageInflater}; this needs the system zlib, without
 * which an inflater with context takeover stays with its connection). A connection idle after echoing one 1 KiB
 * message holds about 2 KiB for permessage-deflate, against about 300 KiB of zlib state per connection for a
 * compressor and an inflater of its own.
 *
 * <p>Immutable and thread-safe. Its connections share their compressors (see {@link MessageDeflater}).
 */
public final class PerMessageDeflate implements Extension {

    /** The extension token (RFC 7692 §7). */
    public static final String NAME = "permessage-deflate";

    /**
     * System property: {@code false} to never call the system zlib (no FFM, no native access needed); the
     * default for {@link Builder#nativeZlib}.
     */
    public static final String NATIVE_ZLIB_PROPERTY = "dev.websock.codec.nativeZlib";

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    /** RFC 7692 §7.1.2: window bits are 8 to 15. */
    static final int MIN_WINDOW_BITS = 8;
    static final int MAX_WINDOW_BITS = 15;

    private final int compressionLevel;
    private final int maxWindowBits;
    private final int memLevel;
    private final boolean noContextTakeover;
    private final boolean requestPeerNoContextTakeover;
    private final int peerMaxWindowBits;
    private final int bufferSize;
    private final boolean nativeZlib;
    /** The compressors of each window size, shared by the connections of this configuration; made when first used. */
    private final AtomicReferenceArray<CompressorPool> compressors = new AtomicReferenceArray<>(MAX_WINDOW_BITS + 1);
    private final InflaterPool inflaters;

    private PerMessageDeflate(Builder b) {
        this.compressionLevel = b.compressionLevel;
        this.maxWindowBits = b.maxWindowBits;
        this.memLevel = b.memLevel;
        this.noContextTakeover = b.noContextTakeover;
        this.requestPeerNoContextTakeover = b.requestPeerNoContextTakeover;
        this.peerMaxWindowBits = b.peerMaxWindowBits;
        this.bufferSize = b.bufferSize;
        this.nativeZlib = b.nativeZlib;
        this.inflaters = new InflaterPool(poolCapacity(), bufferSize, nativeZlib);
    }

    /** Idle compressors or inflaters kept: each thread works on one message at a time. */
    private static int poolCapacity() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * For a start-up log line: {@code "zlib 1.2.13"} when windows below 15 bits get a real LZ77 window, else why
     * not (library absent, native access denied...) and what to do. Looks the library up on the first call,
     * which is a restricted FFM operation (see {@link MessageDeflater}); with {@link #NATIVE_ZLIB_PROPERTY} set
     * to {@code false} it says so and looks nothing up.
     */
    public static String nativeZlibStatus() {
        if ("false".equalsIgnoreCase(System.getProperty(NATIVE_ZLIB_PROPERTY, "true"))) {
            return "native zlib disabled by -D" + NATIVE_ZLIB_PROPERTY + "=false: windows below 15 bits are Huffman-coded only";
        }
        return Zlib.isAvailable() ? "zlib " + Zlib.version() : Zlib.unavailableReason();
    }

    /** The defaults listed on {@link Builder}. */
    public static PerMessageDeflate defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link PerMessageDeflate}; every setter checks its argument and says what is allowed. */
    public static final class Builder {
        // zlib's default level: the ratio/CPU balance Netty and Jetty also default to. 1 is ~3x faster, ~10% larger.
        private int compressionLevel = 6;
        // The full window by default: the JDK's deflater needs no native access for it.
        private int maxWindowBits = MAX_WINDOW_BITS;
        // zlib's default: 128 KiB of hash table and pending buffer; lower trades ratio for memory (native zlib only).
        private int memLevel = 8;
        private boolean noContextTakeover = false;
        private boolean requestPeerNoContextTakeover = false;
        // 15: ask nothing of the peer's window.
        private int peerMaxWindowBits = MAX_WINDOW_BITS;
        // One frame's payload out, one piece of inflated data in: big enough for few calls, small per connection.
        private int bufferSize = 16 * 1024;
        private boolean nativeZlib = !"false".equalsIgnoreCase(System.getProperty(NATIVE_ZLIB_PROPERTY, "true"));

        private Builder() {}

        /** Compression level 0 (stored, no compression) to 9 (best); default 6. */
        public Builder compressionLevel(int level) {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException("compressionLevel " + level + " is not 0-9 (0 stores, 9 compresses best)");
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * The largest LZ77 window this endpoint compresses with, in bits, 8-15; default 15 (32 KiB). The peer may
         * ask for less. Below 15 it needs the system zlib (else messages are Huffman-coded only), and it saves
         * memory only with {@link #memLevel} lowered too.
         */
        public Builder maxWindowBits(int bits) {
            this.maxWindowBits = windowBits("maxWindowBits", bits);
            return this;
        }

        /** zlib's memLevel, 1-9, for the native compressor; default 8. See the memory table on {@link PerMessageDeflate}. */
        public Builder memLevel(int level) {
            if (level < 1 || level > 9) {
                throw new IllegalArgumentException("memLevel " + level + " is not 1-9 (zlib's range; 8 is its default)");
            }
            this.memLevel = level;
            return this;
        }

        /**
         * Whether this endpoint compresses each message on its own, keeping no LZ77 window between messages;
         * default false. Compresses worse, but the compressor can be released between messages.
         */
        public Builder noContextTakeover(boolean on) {
            this.noContextTakeover = on;
            return this;
        }

        /** Whether to ask the peer to compress each message on its own (so this end's inflater can be released); default false. */
        public Builder requestPeerNoContextTakeover(boolean on) {
            this.requestPeerNoContextTakeover = on;
            return this;
        }

        /** The largest window, in bits 8-15, to ask the peer to compress with; default 15 (ask nothing). */
        public Builder peerMaxWindowBits(int bits) {
            this.peerMaxWindowBits = windowBits("peerMaxWindowBits", bits);
            return this;
        }

        /**
         * Bytes in the output buffer of each shared compressor and inflater: the largest compressed frame payload
         * sent and inflated piece handed on; 64 B-1 MiB, default 16 KiB.
         */
        public Builder bufferSize(int bytes) {
            if (bytes < 64 || bytes > 1 << 20) {
                throw new IllegalArgumentException("bufferSize " + bytes + " is not 64 to 1048576 bytes");
            }
            this.bufferSize = bytes;
            return this;
        }

        /**
         * Whether the system zlib may be called (through FFM) for windows below 15 bits; default true unless
         * {@value PerMessageDeflate#NATIVE_ZLIB_PROPERTY} is {@code false}. Without it, such windows are honoured by
         * Huffman-only compression.
         */
        public Builder nativeZlib(boolean allowed) {
            this.nativeZlib = allowed;
            return this;
        }

        public PerMessageDeflate build() {
            return new PerMessageDeflate(this);
        }

        private static int windowBits(String what, int bits) {
            if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
                throw new IllegalArgumentException(what + " " + bits + " is not 8-15 (RFC 7692 §7.1.2)");
            }
            return bits;
        }
    }

    public int compressionLevel() {
        return compressionLevel;
    }

    public int maxWindowBits() {
        return maxWindowBits;
    }

    public int memLevel() {
        return memLevel;
    }

    public boolean noContextTakeover() {
        return noContextTakeover;
    }

    public boolean requestPeerNoContextTakeover() {
        return requestPeerNoContextTakeover;
    }

    public int peerMaxWindowBits() {
        return peerMaxWindowBits;
    }

    public int bufferSize() {
        return bufferSize;
    }

    public boolean nativeZlib() {
        return nativeZlib;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * The shared compressors for {@code windowBits} (see {@link CompressorPool}): as many idle ones are kept as the
     * machine has cores, twice over, since each thread compresses one message at a time.
     */
    CompressorPool compressors(int windowBits, Supplier<Compressor> factory) {
        CompressorPool pool = compressors.get(windowBits);
        if (pool == null) {
            compressors.compareAndSet(windowBits, null, new CompressorPool(poolCapacity(), factory));
            pool = compressors.get(windowBits);
        }
        return pool;
    }

    /** The shared inflaters of this configuration (see {@link InflaterPool}), kept like the compressors. */
    InflaterPool inflaters() {
        return inflaters;
    }

    /** RSV1, the "Per-Message Compressed" bit (RFC 7692 §6). */
    @Override
    public int rsvBits() {
        return 0x40;
    }

    @Override
    public DeflateAgreement accept(ExtensionElement offer) throws ExtensionException {
        Parameters p = Parameters.read(offer, false);
        boolean serverNoContext = p.serverNoContextTakeover || noContextTakeover;
        // RFC 7692 §7.1.1.2: echoing the client's hint makes it binding, so this side may reset its inflater.
        boolean clientNoContext = p.clientNoContextTakeover || requestPeerNoContextTakeover;
        // RFC 7692 §7.1.2.1: the server MUST NOT exceed the client's limit; it MAY state a smaller one unasked.
        int serverWindow = Math.min(maxWindowBits, p.serverMaxWindowBits == 0 ? MAX_WINDOW_BITS : p.serverMaxWindowBits);
        boolean stateServerWindow = p.serverMaxWindowBits != 0 || serverWindow < MAX_WINDOW_BITS;
        // RFC 7692 §7.1.2.2: client_max_window_bits goes in a response only if the offer had it.
        int clientOffered = p.clientMaxWindowBits > 0 ? p.clientMaxWindowBits : MAX_WINDOW_BITS;
        boolean stateClientWindow = p.clientMaxWindowBitsPresent && peerMaxWindowBits < clientOffered;
        int clientWindow = stateClientWindow ? peerMaxWindowBits : clientOffered;

        List<ExtensionElement.Parameter> response = new ArrayList<>();
        if (serverNoContext) {
            response.add(ExtensionElement.Parameter.of(SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (clientNoContext) {
            response.add(ExtensionElement.Parameter.of(CLIENT_NO_CONTEXT_TAKEOVER));
        }
        if (stateServerWindow) {
            response.add(ExtensionElement.Parameter.of(SERVER_MAX_WINDOW_BITS, Integer.toString(serverWindow)));
        }
        if (stateClientWindow) {
            response.add(ExtensionElement.Parameter.of(CLIENT_MAX_WINDOW_BITS, Integer.toString(clientWindow)));
        }
        return new DeflateAgreement(this, Role.SERVER, serverNoContext, clientNoContext, serverWindow, clientWindow,
                ExtensionElement.of(NAME, response));
    }

    @Override
    public ExtensionElement offer() {
        List<ExtensionElement.Parameter> offer = new ArrayList<>();
        if (requestPeerNoContextTakeover) {
            offer.add(ExtensionElement.Parameter.of(SERVER_NO_CONTEXT_TAKEOVER));
        }
        if (noContextTakeover) {
            offer.add(ExtensionElement.Parameter.of(CLIENT_NO_CONTEXT_TAKEOVER));
        }
        if (peerMaxWindowBits < MAX_WINDOW_BITS) {
            offer.add(ExtensionElement.Parameter.of(SERVER_MAX_WINDOW_BITS, Integer.toString(peerMaxWindowBits)));
        }
        // RFC 7692 §7.1.2.2: without a value, "I support the parameter"; with one, a promise the window stays within it.
        offer.add(maxWindowBits < MAX_WINDOW_BITS
                ? ExtensionElement.Parameter.of(CLIENT_MAX_WINDOW_BITS, Integer.toString(maxWindowBits))
                : ExtensionElement.Parameter.of(CLIENT_MAX_WINDOW_BITS));
        return ExtensionElement.of(NAME, offer);
    }

    @Override
    public DeflateAgreement confirm(ExtensionElement response) throws ExtensionException {
        Parameters p = Parameters.read(response, true);
        int serverWindow = p.serverMaxWindowBits == 0 ? MAX_WINDOW_BITS : p.serverMaxWindowBits;
        if (serverWindow > peerMaxWindowBits) {
            throw new ExtensionException(SERVER_MAX_WINDOW_BITS + "=" + serverWindow + " exceeds the "
                    + peerMaxWindowBits + " this client offered (RFC 7692 §7.1.2.1)");
        }
        int clientWindow = Math.min(maxWindowBits, p.clientMaxWindowBits == 0 ? MAX_WINDOW_BITS : p.clientMaxWindowBits);
        return new DeflateAgreement(this, Role.CLIENT, p.serverNoContextTakeover,
                p.clientNoContextTakeover || noContextTakeover, serverWindow, clientWindow, response);
    }

    /** The four RFC 7692 §7.1 parameters of one element, checked. Window bits are 0 when absent. */
    private static final class Parameters {
        boolean serverNoContextTakeover;
        boolean clientNoContextTakeover;
        int serverMaxWindowBits;
        boolean clientMaxWindowBitsPresent;
        int clientMaxWindowBits;

        static Parameters read(ExtensionElement element, boolean response) throws ExtensionException {
            if (!element.name().equals(NAME)) {
                throw new IllegalArgumentException("element " + element.name() + " is not " + NAME);
            }
            if (element.isMalformed()) {
                throw new ExtensionException("malformed: " + element.defect());
            }
            Parameters p = new Parameters();
            boolean serverWindowSeen = false;
            for (ExtensionElement.Parameter parameter : element.parameters()) {
                String name = parameter.name();
                String value = parameter.value();
                switch (name) {
                    case SERVER_NO_CONTEXT_TAKEOVER -> {
                        noValue(parameter);
                        p.serverNoContextTakeover = once(p.serverNoContextTakeover, name);
                    }
                    case CLIENT_NO_CONTEXT_TAKEOVER -> {
                        noValue(parameter);
                        p.clientNoContextTakeover = once(p.clientNoContextTakeover, name);
                    }
                    case SERVER_MAX_WINDOW_BITS -> {
                        serverWindowSeen = once(serverWindowSeen, name);
                        if (value == null) {
                            throw new ExtensionException(name + " needs a value, 8-15 (RFC 7692 §7.1.2.1)");
                        }
                        p.serverMaxWindowBits = windowBits(parameter);
                    }
                    case CLIENT_MAX_WINDOW_BITS -> {
                        p.clientMaxWindowBitsPresent = once(p.clientMaxWindowBitsPresent, name);
                        if (value == null) {
                            if (response) {
                                throw new ExtensionException(name + " in a response needs a value, 8-15 (RFC 7692 §7.1.2.2)");
                            }
                        } else {
                            p.clientMaxWindowBits = windowBits(parameter);
                        }
                    }
                    default -> throw new ExtensionException("unknown parameter " + name
                            + " (RFC 7692 §7 defines server_no_context_takeover, client_no_context_takeover,"
                            + " server_max_window_bits and client_max_window_bits)");
                }
            }
            return p;
        }

        private static boolean once(boolean seen, String name) throws ExtensionException {
            if (seen) {
                throw new ExtensionException("parameter " + name + " appears twice (RFC 7692 §7)");
            }
            return true;
        }

        private static void noValue(ExtensionElement.Parameter parameter) throws ExtensionException {
            if (parameter.value() != null) {
                throw new ExtensionException(parameter.name() + " takes no value, got \"" + parameter.value() + "\" (RFC 7692 §7.1.1)");
            }
        }

        /** RFC 7692 §7.1.2.1: "a decimal integer value without leading zeroes between 8 to 15, inclusive". */
        private static int windowBits(ExtensionElement.Parameter parameter) throws ExtensionException {
            String v = parameter.value();
            boolean digits = !v.isEmpty() && v.length() <= 2 && v.charAt(0) != '0' && v.chars().allMatch(c -> c >= '0' && c <= '9');
            int bits = digits ? Integer.parseInt(v) : -1;
            if (bits < MIN_WINDOW_BITS || bits > MAX_WINDOW_BITS) {
                throw new ExtensionException(parameter.name() + "=" + v
                        + " is not a window size: use a decimal 8-15 without leading zeros (RFC 7692 §7.1.2)");
            }
            return bits;
        }
    }
}
