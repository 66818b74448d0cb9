package dev.websock.server.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The echo server's command line. Every option has a default, so that the server starts with none.
 *
 * @param maxMessageSize default 16 MiB: the largest messages of the conformance cases (9.x) are 16 MiB
 */
record EchoServerOptions(
        String host,
        int port,
        String path,
        boolean plain,
        Path certificate,
        Path privateKey,
        Path keystore,
        char[] keystorePassword,
        Path certificateDirectory,
        long maxMessageSize,
        long maxFrameSize,
        boolean deflate,
        Duration idleTimeout,
        List<String> allowedOrigins,
        boolean help) {

    static final int DEFAULT_PORT = 8889;
    static final long DEFAULT_MAX_MESSAGE = 16L << 20;

    static EchoServerOptions parse(String[] args) {
        String host = "localhost";
        int port = DEFAULT_PORT;
        String path = "/wss";
        boolean plain = false;
        Path certificate = null;
        Path privateKey = null;
        Path keystore = null;
        char[] keystorePassword = new char[0];
        Path certificateDirectory = Path.of(System.getProperty("user.home"), ".websock", "dev-certificate");
        long maxMessageSize = DEFAULT_MAX_MESSAGE;
        long maxFrameSize = -1;
        boolean deflate = true;
        Duration idleTimeout = Duration.ofMinutes(5);
        List<String> origins = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--host" -> host = value(args, ++i, arg);
                case "--port" -> port = (int) number(args, ++i, arg, 0, 65535);
                case "--path" -> {
                    path = value(args, ++i, arg);
                    if (!path.startsWith("/")) {
                        throw new IllegalArgumentException("--path must start with '/': " + path);
                    }
                }
                case "--plain" -> plain = true;
                case "--cert" -> certificate = Path.of(value(args, ++i, arg));
                case "--key" -> privateKey = Path.of(value(args, ++i, arg));
                case "--keystore" -> keystore = Path.of(value(args, ++i, arg));
                case "--keystore-password" -> keystorePassword = value(args, ++i, arg).toCharArray();
                case "--cert-dir" -> certificateDirectory = Path.of(value(args, ++i, arg));
                case "--max-message" -> maxMessageSize = number(args, ++i, arg, 0, Integer.MAX_VALUE - 8);
                case "--max-frame" -> maxFrameSize = number(args, ++i, arg, 0, Long.MAX_VALUE);
                case "--no-deflate" -> deflate = false;
                case "--idle-timeout" -> idleTimeout = Duration.ofSeconds(number(args, ++i, arg, 0, 86_400));
                case "--allow-origin" -> origins.add(value(args, ++i, arg));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException("--cert and --key go together: a PEM certificate chain and its PKCS#8 key");
        }
        if (certificate != null && keystore != null) {
            throw new IllegalArgumentException("give either --cert/--key or --keystore, not both");
        }
        if (plain && (certificate != null || keystore != null)) {
            throw new IllegalArgumentException("--plain serves ws:// without TLS; drop it to use the certificate");
        }
        return new EchoServerOptions(host, port, path, plain, certificate, privateKey, keystore, keystorePassword,
                certificateDirectory, maxMessageSize, maxFrameSize < 0 ? maxMessageSize : maxFrameSize, deflate,
                idleTimeout, List.copyOf(origins), help);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static long number(String[] args, int index, String option, long min, long max) {
        String text = value(args, index, option);
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", not " + text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not " + text);
        }
    }

    static void printHelp(PrintStream out) {
        out.println("""
                websock-server: a secure WebSocket echo server (RFC 6455, permessage-deflate RFC 7692)

                  --host HOST              interface to listen on (default localhost; 0.0.0.0 for all)
                  --port PORT              port (default 8889)
                  --path PATH              echo endpoint; / echoes too (default /wss)
                  --plain                  serve ws:// without TLS
                  --cert FILE --key FILE   TLS from PEM: an X.509 chain and its PKCS#8 private key
                  --keystore FILE          TLS from a PKCS#12 keystore (--keystore-password PASS)
                  --cert-dir DIR           where the self-signed certificate is kept when none is given
                                           (default ~/.websock/dev-certificate)
                  --max-message BYTES      longest message (default 16777216)
                  --max-frame BYTES        longest frame (default: the message limit)
                  --no-deflate             do not negotiate permessage-deflate
                  --idle-timeout SECONDS   close sessions idle this long (default 300; 0: never)
                  --allow-origin ORIGIN    accept only browser pages from ORIGIN (repeatable; default: any,
                                           since an echo holds nothing a cross-site page could steal)
                """);
    }
}
