package dev.websock.codec.http;

/**
 * The HTTP/1.1 grammar the handshake needs (RFC 9110 §5, RFC 9112 §2-§5), in one place: token characters,
 * field values, comma-separated lists, host and port. Used by the parsers, by the checks on what callers
 * ask us to send, and by the error messages that quote what a peer sent.
 */
public final class HttpSyntax {

    public static final byte SP = ' ';
    public static final byte HTAB = '\t';
    public static final byte CR = '\r';
    public static final byte LF = '\n';

    // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|"
    //                          / "~" / DIGIT / ALPHA
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpSyntax() {}

    /** Whether char {@code c} is a tchar; anything outside Latin-1 is not. */
    public static boolean isTchar(int c) {
        return c < 256 && c >= 0 && TCHAR[c];
    }

    /** Whether byte {@code b} is a tchar: the parsers' form, whose index needs no range check. */
    public static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** RFC 9110 §5.6.2: {@code token = 1*tchar}. */
    public static boolean isToken(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 9110 §5.5: what a field value may hold: visible ASCII, obs-text (0x80-0xFF) and SP/HTAB between
     * them. Returns null when {@code value} may be sent as is, else what is wrong with it. The checks on what
     * callers ask us to send use this, so that nothing they pass can split a header line.
     */
    public static String fieldValueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return "character U+" + Integer.toHexString(c | 0x10000).substring(1).toUpperCase()
                        + " does not fit in a header byte; percent-encode it or use RFC 8187 encoding";
            }
            if (!isFieldValueByte(c)) {
                return "control character 0x" + Integer.toHexString(c | 0x100).substring(1)
                        + " (a header value must not contain CR, LF, NUL or other controls)";
            }
        }
        if (!value.isEmpty() && (isOws(value.charAt(0)) || isOws(value.charAt(value.length() - 1)))) {
            return "leading or trailing whitespace (a recipient strips it)";
        }
        return null;
    }

    /** RFC 9110 §5.5: field-vchar (VCHAR / obs-text), SP and HTAB. */
    public static boolean isFieldValueByte(int b) {
        return b >= 0x20 ? b != 0x7F : b == HTAB;
    }

    public static boolean isOws(int c) {
        return c == SP || c == HTAB;
    }

    /**
     * RFC 9110 §5.6.1: the end (exclusive) of the list element that starts at {@code from}: the next comma
     * that is not inside a quoted-string, or {@code to}. Quoted-strings matter for extension parameters
     * (RFC 6455 §9.1), whose values may be quoted.
     */
    public static int listElementEnd(byte[] s, int from, int to) {
        boolean quoted = false;
        for (int i = from; i < to; i++) {
            byte c = s[i];
            if (quoted) {
                if (c == '\\') {
                    i++; // RFC 9110 §5.6.4: quoted-pair; the escaped character is never a delimiter
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                return i;
            }
        }
        return to;
    }

    public static int skipOws(byte[] s, int from, int to) {
        while (from < to && isOws(s[from])) {
            from++;
        }
        return from;
    }

    public static int trimOws(byte[] s, int from, int to) {
        while (to > from && isOws(s[to - 1])) {
            to--;
        }
        return to;
    }

    /**
     * RFC 9110 §7.2 and RFC 3986 §3.2.2-3.2.3: {@code uri-host [ ":" port ]}, where uri-host is an IP literal in
     * brackets, or a reg-name (which covers IPv4 addresses and DNS names) that is not empty. Rejects what
     * could smuggle another authority or a path into URLs built from it ({@code @}, {@code /}, spaces).
     */
    public static boolean isHostAndPort(String s, int from, int to) {
        int at = from;
        if (at < to && s.charAt(at) == '[') {
            int close = s.indexOf(']', at);
            if (close < 0 || close >= to || close == at + 1) {
                return false;
            }
            for (int i = at + 1; i < close; i++) {
                char c = s.charAt(i);
                // IPv6address and IPvFuture ("v" HEXDIG "." ...): unreserved, sub-delims and ":".
                if (!(isUnreserved(c) || isSubDelim(c) || c == ':')) {
                    return false;
                }
            }
            at = close + 1;
        } else {
            int start = at;
            while (at < to && s.charAt(at) != ':') {
                char c = s.charAt(at);
                if (!(isUnreserved(c) || isSubDelim(c) || c == '%')) {
                    return false;
                }
                at++;
            }
            if (at == start) {
                return false;
            }
        }
        if (at == to) {
            return true;
        }
        if (s.charAt(at) != ':') {
            return false;
        }
        // RFC 3986 §3.2.3: port = *DIGIT (an empty port is allowed and means the default); TCP ends at 65535.
        int port = 0;
        for (int i = at + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
            if (port > 65535) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isSubDelim(char c) {
        return "!$&'()*+,;=".indexOf(c) >= 0;
    }

    /**
     * What a peer sent, made safe to put in a log line or an error body: in double quotes, at most 64
     * characters, anything outside printable ASCII written as {@code \xNN}.
     */
    public static String quote(CharSequence s) {
        int shown = Math.min(s.length(), 64);
        StringBuilder out = new StringBuilder(shown + 8).append('"');
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.append(c);
            } else if (c <= 0xFF) {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            } else {
                out.append("\\u").append(Integer.toHexString(c | 0x10000).substring(1));
            }
        }
        out.append('"');
        if (shown < s.length()) {
            out.append("... (").append(s.length()).append(" characters)");
        }
        return out.toString();
    }

    /** One byte as a message shows it: the character for printable ASCII, else its hex value. */
    public static String describeByte(int b) {
        return b > 0x20 && b < 0x7F ? "'" + (char) b + "'" : "byte 0x" + Integer.toHexString(b | 0x100).substring(1);
    }

    /** RFC 9110 §15: the reason phrase for the statuses a handshake sends; "" for others (RFC 9112 §4 allows it). */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 421 -> "Misdirected Request";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
