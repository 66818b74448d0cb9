package dev.websock.codec.zlib;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The system zlib's raw-deflate and raw-inflate functions, called through the Foreign Function and Memory API (no
 * JNI). The JDK's {@link java.util.zip.Deflater} always compresses with a 32 KiB (15-bit) window; permessage-deflate
 * peers may demand a smaller one (RFC 7692 §7.1.2.1), which only {@code deflateInit2} with negative window
 * bits gives. And the JDK's {@link java.util.zip.Inflater} cannot say what its window holds, which
 * {@code inflateGetDictionary} can, so that an idle connection can let its inflater go and keep only that.
 *
 * <p>The library is looked up on first use only, so a JVM that never negotiates a small window never makes a
 * restricted FFM call. Looking it up and binding it are restricted methods: the JVM prints a one-time warning
 * unless the module is granted native access ({@code --enable-native-access=dev.websock.codec} on the module
 * path, {@code --enable-native-access=ALL-UNNAMED} on the class path), and with
 * {@code --illegal-native-access=deny} refuses them with an {@link IllegalCallerException}; then, as when the
 * library is absent, {@link #isAvailable()} is false and {@link #unavailableReason()} says why.
 */
public final class Zlib {

    // zlib.h constants.
    public static final int Z_OK = 0;
    public static final int Z_STREAM_END = 1;
    public static final int Z_NEED_DICT = 2;
    public static final int Z_DATA_ERROR = -3;
    public static final int Z_MEM_ERROR = -4;
    public static final int Z_STREAM_ERROR = -2;
    public static final int Z_BUF_ERROR = -5;
    public static final int Z_VERSION_ERROR = -6;
    public static final int Z_NO_FLUSH = 0;
    public static final int Z_SYNC_FLUSH = 2;
    public static final int Z_DEFLATED = 8;
    public static final int Z_DEFAULT_STRATEGY = 0;

    /** The names tried in turn: Linux, then the unversioned development link, macOS, Windows. */
    public static final List<String> LIBRARY_NAMES = List.of("libz.so.1", "libz.so", "libz.dylib", "zlib1.dll");

    private static final Linker LINKER = Linker.nativeLinker();

    /**
     * {@code z_stream} from zlib.h. {@code uLong} is C's {@code long}: 8 bytes on LP64 (Linux, macOS), 4 on
     * Windows; members are padded to C's natural alignment, so on 64-bit Linux the struct is 112 bytes.
     */
    public static final StructLayout Z_STREAM = naturallyAligned(
            ADDRESS.withName("next_in"),
            JAVA_INT.withName("avail_in"),
            cLong().withName("total_in"),
            ADDRESS.withName("next_out"),
            JAVA_INT.withName("avail_out"),
            cLong().withName("total_out"),
            ADDRESS.withName("msg"),
            ADDRESS.withName("state"),
            ADDRESS.withName("zalloc"),
            ADDRESS.withName("zfree"),
            ADDRESS.withName("opaque"),
            JAVA_INT.withName("data_type"),
            cLong().withName("adler"),
            cLong().withName("reserved"));

    static final long NEXT_IN = offset("next_in");
    static final long AVAIL_IN = offset("avail_in");
    static final long NEXT_OUT = offset("next_out");
    static final long AVAIL_OUT = offset("avail_out");
    static final long MSG = offset("msg");

    private Zlib() {}

    /** Whether the system zlib was found and bound (looked up on the first call). */
    public static boolean isAvailable() {
        return Bound.BINDING.functions() != null;
    }

    /** Why zlib cannot be used, for logs; {@code null} when it can. */
    public static String unavailableReason() {
        return Bound.BINDING.failure();
    }

    /** The version the library reports ({@code zlibVersion()}), or {@code null} when it is not available. */
    public static String version() {
        Functions f = Bound.BINDING.functions();
        return f == null ? null : f.version();
    }

    static Functions functions() {
        Functions f = Bound.BINDING.functions();
        if (f == null) {
            throw new IllegalStateException("the system zlib is not available: " + Bound.BINDING.failure());
        }
        return f;
    }

    /** The bound functions of one library, or why there are none. */
    public record Binding(Functions functions, String failure) {}

    /** The downcall handles, and the version string {@code deflateInit2_} must be given. */
    record Functions(String version, MemorySegment versionCString, MethodHandle deflateInit2, MethodHandle deflate,
            MethodHandle deflateReset, MethodHandle deflateEnd, MethodHandle deflateSetDictionary,
            MethodHandle inflateInit2, MethodHandle inflate, MethodHandle inflateReset, MethodHandle inflateEnd,
            MethodHandle inflateSetDictionary, MethodHandle inflateGetDictionary) {}

    private static final class Bound {
        static final Binding BINDING = bind(LIBRARY_NAMES);
    }

    /** Finds the first of {@code names} that loads and binds the deflate functions from it. Visible for tests. */
    public static Binding bind(List<String> names) {
        SymbolLookup library = null;
        List<String> tried = new ArrayList<>();
        try {
            for (String name : names) {
                try {
                    library = SymbolLookup.libraryLookup(name, Arena.global());
                    break;
                } catch (IllegalArgumentException notThere) {
                    tried.add(name);
                }
            }
            if (library == null) {
                return new Binding(null, "no zlib library found (tried " + String.join(", ", tried)
                        + "); install zlib to honour permessage-deflate windows below 15 bits with LZ77"
                        + " compression, else such messages are Huffman-coded only");
            }
            MethodHandle zlibVersion = LINKER.downcallHandle(find(library, "zlibVersion"), FunctionDescriptor.of(ADDRESS));
            MemorySegment versionCString = ((MemorySegment) zlibVersion.invokeExact()).reinterpret(64);
            String version = versionCString.getString(0);
            // deflateInit2 is a macro in zlib.h: deflateInit2_(strm, level, method, windowBits, memLevel, strategy,
            // ZLIB_VERSION, (int) sizeof(z_stream)). zlib refuses a version or struct size it was not built with.
            MethodHandle deflateInit2 = LINKER.downcallHandle(find(library, "deflateInit2_"), FunctionDescriptor.of(
                    JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle deflate = LINKER.downcallHandle(find(library, "deflate"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle deflateReset = LINKER.downcallHandle(find(library, "deflateReset"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle deflateEnd = LINKER.downcallHandle(find(library, "deflateEnd"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle deflateSetDictionary = LINKER.downcallHandle(find(library, "deflateSetDictionary"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            // inflateInit2 is a macro too: inflateInit2_(strm, windowBits, ZLIB_VERSION, (int) sizeof(z_stream)).
            MethodHandle inflateInit2 = LINKER.downcallHandle(find(library, "inflateInit2_"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle inflate = LINKER.downcallHandle(find(library, "inflate"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle inflateReset = LINKER.downcallHandle(find(library, "inflateReset"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle inflateEnd = LINKER.downcallHandle(find(library, "inflateEnd"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle inflateSetDictionary = LINKER.downcallHandle(find(library, "inflateSetDictionary"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            // zlib 1.2.8 and later: the window's contents, so that an idle inflater can be let go of.
            MethodHandle inflateGetDictionary = LINKER.downcallHandle(find(library, "inflateGetDictionary"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            return new Binding(new Functions(version, versionCString, deflateInit2, deflate, deflateReset, deflateEnd,
                    deflateSetDictionary, inflateInit2, inflate, inflateReset, inflateEnd, inflateSetDictionary,
                    inflateGetDictionary), null);
        } catch (IllegalCallerException denied) {
            return new Binding(null, "native access is denied to dev.websock.codec (" + denied.getMessage()
                    + "); start the JVM with --enable-native-access=dev.websock.codec (module path) or"
                    + " --enable-native-access=ALL-UNNAMED (class path)");
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // A missing symbol, or zlibVersion() failing: some other library under zlib's name.
            return new Binding(null, "zlib found but not usable: " + e.getMessage());
        }
    }

    private static MemorySegment find(SymbolLookup library, String name) {
        return library.find(name).orElseThrow(() -> new IllegalStateException("zlib has no symbol " + name));
    }

    /** C's {@code long} on this platform. */
    private static ValueLayout cLong() {
        return (ValueLayout) LINKER.canonicalLayouts().get("long");
    }

    /** A struct of {@code members} with the padding a C compiler inserts: each at its own alignment, the whole at the largest. */
    static StructLayout naturallyAligned(MemoryLayout... members) {
        List<MemoryLayout> laidOut = new ArrayList<>();
        long size = 0;
        long maxAlignment = 1;
        for (MemoryLayout member : members) {
            long alignment = member.byteAlignment();
            maxAlignment = Math.max(maxAlignment, alignment);
            long padding = (alignment - size % alignment) % alignment;
            if (padding > 0) {
                laidOut.add(MemoryLayout.paddingLayout(padding));
                size += padding;
            }
            laidOut.add(member);
            size += member.byteSize();
        }
        long tail = (maxAlignment - size % maxAlignment) % maxAlignment;
        if (tail > 0) {
            laidOut.add(MemoryLayout.paddingLayout(tail));
        }
        return MemoryLayout.structLayout(laidOut.toArray(MemoryLayout[]::new));
    }

    private static long offset(String member) {
        return Z_STREAM.byteOffset(MemoryLayout.PathElement.groupElement(member));
    }
}
