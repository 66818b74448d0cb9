package dev.websock.benchmarks;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The UTF-8 inputs of the benchmarks, generated from a fixed seed so that every run, fork and machine sees
 * the same bytes. Each is valid UTF-8 of exactly the requested size: code points are appended while they
 * fit whole, and the rest is padded with ASCII spaces.
 *
 * <ul>
 *   <li>{@code ascii}: English prose.
 *   <li>{@code latin}: French- and German-like prose, mostly ASCII with some 2-byte letters.
 *   <li>{@code greek}: Greek prose, mostly 2-byte letters with ASCII spaces and punctuation.
 *   <li>{@code cjk}: Chinese-like text, mostly 3-byte ideographs, kana and punctuation.
 *   <li>{@code emoji}: mostly 4-byte emoji, with modifiers, ZWJ sequences, flags and a little ASCII.
 *   <li>{@code random}: code points of 1, 2, 3 or 4 bytes with equal probability, each uniform in its range
 *       (surrogates excluded).
 * </ul>
 */
public final class Utf8Inputs {

    /** Every input name, in report order. */
    public static final List<String> NAMES = List.of("ascii", "latin", "greek", "cjk", "emoji", "random");

    private static final long SEED = 0x5EB5_0C4B_17F8_2025L;

    private Utf8Inputs() {}

    /** The input {@code name} of exactly {@code size} bytes. */
    public static byte[] generate(String name, int size) {
        Random random = new Random(SEED + NAMES.indexOf(name));
        Source source = switch (name) {
            case "ascii" -> () -> sentence(random, ENGLISH, 5, 16);
            case "latin" -> () -> sentence(random, random.nextBoolean() ? FRENCH : GERMAN, 5, 16);
            case "greek" -> () -> greekSentence(random);
            case "cjk" -> () -> cjkClause(random);
            case "emoji" -> () -> emojiToken(random);
            case "random" -> () -> Character.toString(randomCodePoint(random));
            default -> throw new IllegalArgumentException("no UTF-8 input named " + name + "; use one of " + NAMES);
        };
        byte[] out = new byte[size];
        int n = 0;
        fill:
        while (true) {
            String chunk = source.next();
            for (int k = 0; k < chunk.length(); ) {
                int cp = chunk.codePointAt(k);
                k += Character.charCount(cp);
                int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                if (n + len > size) {
                    break fill;
                }
                n += encode(cp, out, n);
            }
        }
        while (n < size) {
            out[n++] = ' ';
        }
        return out;
    }

    /** Throws unless {@code bytes} is valid UTF-8, by the JDK's own decoder (independent of websock). */
    public static void requireValid(String name, byte[] bytes) {
        try {
            CharBuffer unused = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            if (unused.length() > bytes.length) {
                throw new AssertionError();
            }
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("generated input " + name + " is not valid UTF-8: " + e, e);
        }
    }

    private interface Source {
        String next();
    }

    private static int encode(int cp, byte[] out, int at) {
        if (cp < 0x80) {
            out[at] = (byte) cp;
            return 1;
        }
        if (cp < 0x800) {
            out[at] = (byte) (0xC0 | cp >>> 6);
            out[at + 1] = (byte) (0x80 | cp & 0x3F);
            return 2;
        }
        if (cp < 0x10000) {
            out[at] = (byte) (0xE0 | cp >>> 12);
            out[at + 1] = (byte) (0x80 | cp >>> 6 & 0x3F);
            out[at + 2] = (byte) (0x80 | cp & 0x3F);
            return 3;
        }
        out[at] = (byte) (0xF0 | cp >>> 18);
        out[at + 1] = (byte) (0x80 | cp >>> 12 & 0x3F);
        out[at + 2] = (byte) (0x80 | cp >>> 6 & 0x3F);
        out[at + 3] = (byte) (0x80 | cp & 0x3F);
        return 4;
    }

    // ------------------------------------------------------------------ prose

    private static final String[] ENGLISH = ("the of and to a in that is was he for it with as his on be at by had "
            + "are but from or have an they which one you were her all she there would their we him been has when "
            + "who will more no if out so said what up its about into than them can only other new some could time "
            + "these two may then do first any my now such like our over man me even most made after also did many "
            + "before must through back years where much your way well down should because each just those people "
            + "how too little state good very make world still own see men work long get here between both life "
            + "being under never day same another know while last might us great old year off come since against "
            + "message frame server client connection protocol handshake payload buffer socket network").split(" ");

    private static final String[] FRENCH = ("le la les de des du et à un une est être été très déjà où français "
            + "élève café après ça garçon noël première fenêtre forêt hôtel naïve cœur voilà que qui dans pour "
            + "avec nous vous ils sont mais pas plus comme tout fait elle il on se ne sur au aux cette son sa ses "
            + "leur même aussi bien peut deux entre encore depuis où là année été écrit réseau message serveur "
            + "connexion données reçu envoyé requête").split(" ");

    private static final String[] GERMAN = ("der die das und über für Straße schön Mädchen größer Bücher hören "
            + "möglich Tür weiß grün zurück Käse Brötchen nicht ist mit sie wir haben werden ein eine zu den von "
            + "auf im dem des sich auch es an als nach wie aus bei noch nur oder wenn so aber vor hat wird mehr "
            + "durch können müssen während Größe Nachricht Verbindung Daten Server empfangen gesendet Anfrage "
            + "Schlüssel Übertragung").split(" ");

    private static String sentence(Random random, String[] words, int min, int max) {
        StringBuilder s = new StringBuilder();
        int count = min + random.nextInt(max - min + 1);
        for (int w = 0; w < count; w++) {
            String word = words[random.nextInt(words.length)];
            if (w == 0) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            } else {
                s.append(' ');
            }
            s.append(word);
            if (w < count - 1 && random.nextInt(10) == 0) {
                s.append(',');
            }
        }
        s.append(random.nextInt(8) == 0 ? "?" : ".");
        s.append(random.nextInt(6) == 0 ? "\n" : " ");
        return s.toString();
    }

    private static final String GREEK_LOWER = "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ";
    private static final String GREEK_UPPER = "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ";

    private static String greekSentence(Random random) {
        StringBuilder s = new StringBuilder();
        int count = 4 + random.nextInt(12);
        for (int w = 0; w < count; w++) {
            if (w > 0) {
                s.append(random.nextInt(10) == 0 ? ", " : " ");
            }
            int len = 2 + random.nextInt(10);
            for (int c = 0; c < len; c++) {
                s.append(w == 0 && c == 0
                        ? GREEK_UPPER.charAt(random.nextInt(GREEK_UPPER.length()))
                        : c == len - 1 && random.nextInt(4) == 0 ? 'ς'
                        : GREEK_LOWER.charAt(random.nextInt(GREEK_LOWER.length())));
            }
        }
        s.append(random.nextInt(8) == 0 ? ";" : ".");
        s.append(random.nextInt(6) == 0 ? "\n" : " ");
        return s.toString();
    }

    private static String cjkClause(Random random) {
        StringBuilder s = new StringBuilder();
        int count = 6 + random.nextInt(20);
        for (int c = 0; c < count; c++) {
            int kind = random.nextInt(100);
            if (kind < 80) {
                s.appendCodePoint(0x4E00 + random.nextInt(0x9FFF - 0x4E00 + 1)); // CJK unified ideographs
            } else if (kind < 95) {
                s.appendCodePoint(0x3041 + random.nextInt(0x3096 - 0x3041 + 1)); // hiragana
            } else if (kind < 98) {
                s.appendCodePoint(0x30A1 + random.nextInt(0x30FA - 0x30A1 + 1)); // katakana
            } else {
                s.append(random.nextInt(10_000)); // a number, in ASCII digits
            }
        }
        s.append(random.nextInt(3) == 0 ? '\uFF0C' : '\u3002');
        if (random.nextInt(20) == 0) {
            s.append('\n');
        }
        return s.toString();
    }

    private static final int[][] EMOJI_RANGES = {
        {0x1F600, 0x1F64F}, {0x1F300, 0x1F5FF}, {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    };

    private static int emoji(Random random) {
        int[] range = EMOJI_RANGES[random.nextInt(EMOJI_RANGES.length)];
        return range[0] + random.nextInt(range[1] - range[0] + 1);
    }

    private static String emojiToken(Random random) {
        int kind = random.nextInt(100);
        StringBuilder s = new StringBuilder();
        if (kind < 60) {
            s.appendCodePoint(emoji(random));
        } else if (kind < 70) {
            s.appendCodePoint(emoji(random)).appendCodePoint(0x1F3FB + random.nextInt(5)); // skin tone
        } else if (kind < 75) {
            s.appendCodePoint(emoji(random)).append('\u200D').appendCodePoint(emoji(random)); // ZWJ sequence
        } else if (kind < 80) {
            s.appendCodePoint(0x1F1E6 + random.nextInt(26)).appendCodePoint(0x1F1E6 + random.nextInt(26)); // flag
        } else if (kind < 85) {
            s.append("\u2764\uFE0F"); // heavy black heart, emoji presentation
        } else if (kind < 93) {
            s.append(' ');
        } else {
            s.append(' ').append(ENGLISH[random.nextInt(ENGLISH.length)]).append(' ');
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ random

    private static int randomCodePoint(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(0x80);
            case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
            case 2 -> {
                // U+0800..U+FFFF without the 2048 surrogates U+D800..U+DFFF
                int cp = 0x800 + random.nextInt(0x10000 - 0x800 - 0x800);
                yield cp < 0xD800 ? cp : cp + 0x800;
            }
            default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
        };
    }
}
