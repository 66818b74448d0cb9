package dev.websock.conformance.cases;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The payload data sets of cases 12 and 13, made here from a fixed seed so the runner needs no data files. They
 * stand in for Autobahn's (a JSON file, a bitmap, a German text, an HTML page, a PDF) with data of the same
 * character: structured text, an image with runs and gradients, prose, markup, and a mix of compressible and
 * incompressible binary. Text sets are ASCII, so any slice of them is valid UTF-8.
 */
final class CompressionData {

    /** @param binary sent as binary messages (else text) */
    record DataSet(String description, boolean binary, byte[] bytes) {}

    private static final int SIZE = 196_608;
    private static final String[] WORDS = {"der", "die", "und", "Faust", "Mephistopheles", "Gretchen", "nicht", "ich",
        "mit", "sich", "des", "ist", "ein", "Geist", "Welt", "Natur", "Himmel", "Erde", "Herz", "Zeit", "Nacht",
        "wohl", "doch", "so", "was", "wie", "wir", "auch", "mein", "nur"};

    private static DataSet[] sets;

    private CompressionData() {}

    static synchronized DataSet get(int index) {
        if (sets == null) {
            sets = new DataSet[] {
                new DataSet("Large JSON data file (generated)", false, json()),
                new DataSet("Bitmap 512x384 grey (generated)", true, bitmap()),
                new DataSet("Human readable text, German-like prose (generated)", true, prose()),
                new DataSet("Large HTML file (generated)", false, html()),
                new DataSet("A larger PDF-like file: text streams and random binary (generated)", true, pdfLike()),
            };
        }
        return sets[index];
    }

    static int count() {
        return 5;
    }

    private static byte[] json() {
        SplittableRandom r = new SplittableRandom(12);
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; s.length() < SIZE; i++) {
            s.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"name\":\"").append(word(r))
                    .append(' ').append(word(r)).append("\",\"score\":").append(r.nextInt(100000) / 100.0)
                    .append(",\"active\":").append(r.nextBoolean()).append(",\"tags\":[\"").append(word(r))
                    .append("\",\"").append(word(r)).append("\"]}");
        }
        return ascii(s.append(']'));
    }

    private static byte[] bitmap() {
        SplittableRandom r = new SplittableRandom(13);
        byte[] b = new byte[SIZE];
        int width = 512;
        for (int i = 0; i < SIZE; i++) {
            int x = i % width;
            int y = i / width;
            int v = ((x * y) >> 6) + ((x / 64 + y / 48) % 2 == 0 ? 40 : 0);
            b[i] = (byte) (v + (r.nextInt(8) == 0 ? r.nextInt(6) : 0));
        }
        return b;
    }

    private static byte[] prose() {
        SplittableRandom r = new SplittableRandom(14);
        StringBuilder s = new StringBuilder();
        while (s.length() < SIZE) {
            int n = 4 + r.nextInt(12);
            for (int i = 0; i < n; i++) {
                String w = word(r);
                s.append(i == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w).append(i + 1 < n ? " " : "");
            }
            s.append(r.nextInt(5) == 0 ? ".\n" : ". ");
        }
        return ascii(s);
    }

    private static byte[] html() {
        SplittableRandom r = new SplittableRandom(15);
        StringBuilder s = new StringBuilder("<!DOCTYPE html>\n<html><head><title>Data</title></head><body>\n");
        for (int i = 0; s.length() < SIZE; i++) {
            s.append("<div class=\"row\" id=\"r").append(i).append("\"><span class=\"name\">").append(word(r))
                    .append("</span><a href=\"/item/").append(r.nextInt(10000)).append("\">").append(word(r))
                    .append(' ').append(word(r)).append("</a></div>\n");
        }
        return ascii(s.append("</body></html>\n"));
    }

    private static byte[] pdfLike() {
        SplittableRandom r = new SplittableRandom(16);
        byte[] b = new byte[SIZE];
        int at = 0;
        while (at < SIZE) {
            boolean text = r.nextBoolean();
            int len = Math.min(SIZE - at, 512 + r.nextInt(4096));
            if (text) {
                byte[] t = ascii(new StringBuilder("BT /F1 12 Tf 72 712 Td (").append(word(r)).append(' ')
                        .append(word(r)).append(") Tj ET\n"));
                for (int i = 0; i < len; i++) {
                    b[at + i] = t[i % t.length];
                }
            } else {
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) r.nextInt(256);
                }
            }
            at += len;
        }
        return b;
    }

    private static String word(SplittableRandom r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static byte[] ascii(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
