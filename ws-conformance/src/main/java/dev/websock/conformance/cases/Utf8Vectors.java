package dev.websock.conformance.cases;

import dev.websock.conformance.wire.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The UTF-8 decoder stress-test vectors of cases 6.5 to 6.23, in Autobahn's order (which follows Markus Kuhn's
 * UTF-8-test.txt), each marked valid or invalid UTF-8 as RFC 3629 defines it (RFC 6455 §8.1 requires it).
 */
final class Utf8Vectors {

    record Vector(boolean valid, byte[] bytes) {}

    record Group(String title, List<Vector> vectors) {}

    private Utf8Vectors() {}

    static final String KOSME = "cebae1bdb9cf83cebcceb5";

    static List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        groups.add(group("Some valid UTF-8 sequences", true, Bytes.hex("68656c6c6f24776f726c64"),
                Bytes.hex("68656c6c6fc2a2776f726c64"), Bytes.hex("68656c6c6fe282ac776f726c64"),
                Bytes.hex("68656c6c6ff0a4ada2776f726c64"), Bytes.hex(KOSME)));
        List<Vector> prefixes = new ArrayList<>();
        byte[] kosme = Bytes.hex(KOSME);
        for (int i = 1; i <= kosme.length; i++) {
            byte[] prefix = java.util.Arrays.copyOf(kosme, i);
            prefixes.add(new Vector(isValid(prefix), prefix));
        }
        groups.add(new Group("All prefixes of a valid UTF-8 string that contains multi-byte code points", prefixes));
        groups.add(group("First possible sequence of a certain length", true, hexes("00", "c280", "e0a080", "f0908080")));
        groups.add(group("First possible sequence length 5/6 (invalid codepoints)", false,
                hexes("f888808080", "fc8480808080")));
        groups.add(group("Last possible sequence of a certain length", true, hexes("7f", "dfbf", "efbfbf", "f48fbfbf")));
        groups.add(group("Last possible sequence length 4/5/6 (invalid codepoints)", false,
                hexes("f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf")));
        List<Vector> boundary = new ArrayList<>();
        for (String h : new String[] {"ed9fbf", "ee8080", "efbfbd", "f48fbfbf"}) {
            boundary.add(new Vector(true, Bytes.hex(h)));
        }
        boundary.add(new Vector(false, Bytes.hex("f4908080")));
        groups.add(new Group("Other boundary conditions", boundary));
        StringBuilder allContinuations = new StringBuilder();
        for (int i = 0x80; i < 0xbf; i++) {
            allContinuations.append(String.format("%02x", i));
        }
        groups.add(group("Unexpected continuation bytes", false, hexes("80", "bf", "80bf", "80bf80", "80bf80bf",
                "80bf80bf80", "80bf80bf80bf", allContinuations.toString())));
        List<byte[]> lonely = new ArrayList<>();
        int[][] ranges = {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}};
        for (int[] r : ranges) {
            StringBuilder s = new StringBuilder();
            for (int i = r[0]; i < r[1]; i++) {
                s.append(String.format("%02x20", i));
            }
            lonely.add(Bytes.hex(s.toString()));
        }
        groups.add(group("Lonely start characters", false, lonely.toArray(byte[][]::new)));
        String[] missing = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf",
            "fdbfbfbfbf"};
        groups.add(group("Sequences with last continuation byte missing", false, hexes(missing)));
        groups.add(group("Concatenation of incomplete sequences", false, Bytes.hex(String.join("", missing))));
        groups.add(group("Impossible bytes", false, hexes("fe", "ff", "fefeffff")));
        groups.add(group("Examples of an overlong ASCII character", false,
                hexes("c0af", "e080af", "f08080af", "f8808080af", "fc80808080af")));
        groups.add(group("Maximum overlong sequences", false,
                hexes("c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf")));
        groups.add(group("Overlong representation of the NUL character", false,
                hexes("c080", "e08080", "f0808080", "f880808080", "fc8080808080")));
        groups.add(group("Single UTF-16 surrogates", false,
                hexes("eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf")));
        groups.add(group("Paired UTF-16 surrogates", false, hexes("eda080edb080", "eda080edbfbf", "edadbfedb080",
                "edadbfedbfbf", "edae80edb080", "edae80edbfbf", "edafbfedb080", "edafbfedbfbf")));
        List<byte[]> nonCharacters = new ArrayList<>();
        nonCharacters.add(Bytes.hex("efbfbe"));
        nonCharacters.add(Bytes.hex("efbfbf"));
        for (String z1 : new String[] {"f0", "f1", "f2", "f3", "f4"}) {
            for (String z2 : new String[] {"8f", "9f", "af", "bf"}) {
                if (z1.equals("f4") && !z2.equals("8f")) {
                    continue; // above U+10FFFF
                }
                for (String z3 : new String[] {"be", "bf"}) {
                    String zz = z1 + z2 + "bf" + z3;
                    if (!zz.equals("f08fbfbe") && !zz.equals("f08fbfbf")) { // overlong
                        nonCharacters.add(Bytes.hex(zz));
                    }
                }
            }
        }
        groups.add(group("Non-character code points (valid UTF-8)", true, nonCharacters.toArray(byte[][]::new)));
        groups.add(group("Unicode specials (i.e. replacement char)", true,
                hexes("efbfb9", "efbfba", "efbfbb", "efbfbc", "efbfbd", "efbfbe", "efbfbf")));
        return groups;
    }

    private static byte[][] hexes(String... hex) {
        byte[][] out = new byte[hex.length][];
        for (int i = 0; i < hex.length; i++) {
            out[i] = Bytes.hex(hex[i]);
        }
        return out;
    }

    private static Group group(String title, boolean valid, byte[]... vectors) {
        List<Vector> list = new ArrayList<>();
        for (byte[] v : vectors) {
            list.add(new Vector(valid, v));
        }
        return new Group(title, list);
    }

    /** Complete, valid UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF, nothing cut off. */
    static boolean isValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
