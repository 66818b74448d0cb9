package dev.websock.codec.extension;

import dev.websock.codec.http.HttpSyntax;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@code Sec-WebSocket-Extensions} (RFC 6455 §9.1):
 * <pre>
 *   Sec-WebSocket-Extensions = 1#extension
 *   extension = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 * with optional whitespace around {@code ,}, {@code ;} and {@code =} (the implied linear white space of
 * RFC 2616 §2.1), and empty list items skipped (RFC 7230 §7). Several header fields are one list, in order
 * (RFC 7230 §3.2.2). A quoted value must, once unescaped, be a token (RFC 6455 §9.1).
 *
 * <p>Lenient per element, strict within one: a list item that breaks the grammar becomes an
 * {@link ExtensionElement} with a {@link ExtensionElement#defect() defect}, which declines that offer only;
 * the following items are read as usual (an unterminated quoted string takes the rest of its header field
 * with it). Nothing here throws on bad input.
 *
 * <p>Stateless and thread-safe. It allocates per element and parameter: the caller bounds the header's size
 * (the HTTP layer's header limit) before calling.
 */
public final class ExtensionHeader {

    private ExtensionHeader() {}

    /** Parses the values of every {@code Sec-WebSocket-Extensions} field of a request or response, in order. */
    public static List<ExtensionElement> parse(List<String> headerValues) {
        List<ExtensionElement> elements = new ArrayList<>();
        for (String value : headerValues) {
            new Reader(value, elements).readList();
        }
        return elements;
    }

    /** Parses one header value. */
    public static List<ExtensionElement> parse(String headerValue) {
        return parse(List.of(headerValue));
    }

    /** Writes elements as one header value: {@code a; p=1, b}. */
    public static String format(List<ExtensionElement> elements) {
        StringBuilder out = new StringBuilder();
        for (ExtensionElement e : elements) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(e.toHeaderValue());
        }
        return out.toString();
    }

    /** Whether {@code s} is an RFC 9110 §5.6.2 token: one or more tchars. */
    public static boolean isToken(String s) {
        return HttpSyntax.isToken(s);
    }

    static boolean isTchar(char c) {
        return HttpSyntax.isTchar(c);
    }

    /** One header value, read left to right; each element ends at a comma outside a quoted string. */
    private static final class Reader {
        private final String s;
        private final List<ExtensionElement> out;
        private int at;

        Reader(String s, List<ExtensionElement> out) {
            this.s = s;
            this.out = out;
        }

        void readList() {
            while (true) {
                // RFC 7230 §7: a recipient accepts empty list elements ("a, , b").
                while (at < s.length() && (isWhitespace(s.charAt(at)) || s.charAt(at) == ',')) {
                    at++;
                }
                if (at >= s.length()) {
                    return;
                }
                readElement();
            }
        }

        private void readElement() {
            int start = at;
            String name = token();
            List<ExtensionElement.Parameter> parameters = new ArrayList<>();
            if (name.isEmpty()) {
                defect("", parameters, "expected an extension name at \"" + rest(start) + "\"");
                return;
            }
            while (true) {
                skipWhitespace();
                if (at >= s.length() || s.charAt(at) == ',') {
                    out.add(new ExtensionElement(name, parameters, null));
                    return;
                }
                if (s.charAt(at) != ';') {
                    defect(name, parameters, "expected ';' or ',' after " + describeLast(name, parameters)
                            + ", found '" + s.charAt(at) + "'");
                    return;
                }
                at++;
                skipWhitespace();
                String parameter = token();
                if (parameter.isEmpty()) {
                    defect(name, parameters, "expected a parameter name after ';' in " + name);
                    return;
                }
                skipWhitespace();
                if (at < s.length() && s.charAt(at) == '=') {
                    at++;
                    skipWhitespace();
                    String value;
                    if (at < s.length() && s.charAt(at) == '"') {
                        value = quotedString();
                        if (value == null) {
                            defect(name, parameters, "unterminated quoted value of parameter " + parameter);
                            return;
                        }
                        if (!isToken(value)) {
                            // RFC 6455 §9.1: after unescaping, a quoted value must still be a token.
                            defect(name, parameters, "quoted value \"" + value + "\" of parameter " + parameter
                                    + " is not a token");
                            return;
                        }
                    } else {
                        value = token();
                        if (value.isEmpty()) {
                            defect(name, parameters, "expected a value after '=' of parameter " + parameter);
                            return;
                        }
                    }
                    parameters.add(ExtensionElement.Parameter.of(parameter, value));
                } else {
                    parameters.add(ExtensionElement.Parameter.of(parameter));
                }
            }
        }

        /** Records a malformed element and skips to the comma that ends it, stepping over quoted strings. */
        private void defect(String name, List<ExtensionElement.Parameter> parameters, String why) {
            out.add(new ExtensionElement(name, parameters, why));
            while (at < s.length() && s.charAt(at) != ',') {
                if (s.charAt(at) == '"') {
                    if (quotedString() == null) {
                        return;
                    }
                } else {
                    at++;
                }
            }
        }

        private String token() {
            int start = at;
            while (at < s.length() && isTchar(s.charAt(at))) {
                at++;
            }
            return s.substring(start, at);
        }

        /**
         * Reads a quoted-string starting at the opening quote (RFC 7230 §3.2.6) and returns it unescaped, or
         * {@code null} when it is not closed (the position is then at the end).
         */
        private String quotedString() {
            StringBuilder value = new StringBuilder();
            at++;
            while (at < s.length()) {
                char c = s.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (at >= s.length()) {
                        break;
                    }
                    c = s.charAt(at++);
                }
                value.append(c);
            }
            at = s.length();
            return null;
        }

        private void skipWhitespace() {
            while (at < s.length() && isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t';
        }

        private String rest(int from) {
            int end = s.indexOf(',', from);
            return s.substring(from, end < 0 ? s.length() : end).strip();
        }

        private static String describeLast(String name, List<ExtensionElement.Parameter> parameters) {
            return parameters.isEmpty() ? name : "parameter " + parameters.getLast().name();
        }
    }
}
