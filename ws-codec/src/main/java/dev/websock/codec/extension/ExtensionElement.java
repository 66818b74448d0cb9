package dev.websock.codec.extension;

import java.util.List;
import java.util.Objects;

/**
 * One element of a {@code Sec-WebSocket-Extensions} header (RFC 6455 §9.1): an extension name and its
 * parameters in the order they were written. A client's element is an offer; a server's, a response.
 *
 * <p>{@link ExtensionHeader#parse} makes an element for every non-empty list item, also for one that breaks
 * the grammar: then {@link #defect()} says how, and the extension it names (if a name could be read) declines
 * that offer. Immutable.
 *
 * @param name the extension token, as written ({@code ""} when none could be read)
 * @param parameters the parameters, in order, duplicates kept (they make the element invalid for
 *     permessage-deflate, RFC 7692 §7, so they must stay visible)
 * @param defect {@code null}, or a sentence saying where the element breaks the header grammar
 */
public record ExtensionElement(String name, List<Parameter> parameters, String defect) {

    /**
     * A parameter: {@code name} or {@code name=value}.
     *
     * @param name the parameter token
     * @param value the value after quoted-string unescaping, or {@code null} when the parameter has none
     */
    public record Parameter(String name, String value) {
        public Parameter {
            Objects.requireNonNull(name, "name");
        }

        /** A parameter without a value, such as {@code server_no_context_takeover}. */
        public static Parameter of(String name) {
            return new Parameter(name, null);
        }

        /** A parameter with a value, such as {@code server_max_window_bits=10}. */
        public static Parameter of(String name, String value) {
            return new Parameter(name, Objects.requireNonNull(value, "value"));
        }
    }

    public ExtensionElement {
        Objects.requireNonNull(name, "name");
        parameters = List.copyOf(parameters);
    }

    /** A well-formed element, for building offers and responses. */
    public static ExtensionElement of(String name, List<Parameter> parameters) {
        return new ExtensionElement(name, parameters, null);
    }

    /** Whether the element broke the header grammar ({@link #defect()} says how). */
    public boolean isMalformed() {
        return defect != null;
    }

    /** The element as a header writes it: {@code name; p; q=v}, a value quoted when it is not a token. */
    public String toHeaderValue() {
        StringBuilder out = new StringBuilder(name);
        for (Parameter p : parameters) {
            out.append("; ").append(p.name());
            if (p.value() != null) {
                out.append('=');
                if (ExtensionHeader.isToken(p.value())) {
                    out.append(p.value());
                } else {
                    out.append('"');
                    for (int i = 0; i < p.value().length(); i++) {
                        char c = p.value().charAt(i);
                        if (c == '"' || c == '\\') {
                            out.append('\\');
                        }
                        out.append(c);
                    }
                    out.append('"');
                }
            }
        }
        return out.toString();
    }
}
