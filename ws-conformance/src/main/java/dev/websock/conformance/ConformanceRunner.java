package dev.websock.conformance;

import dev.websock.conformance.cases.CaseCatalog;
import dev.websock.conformance.cases.CaseExecutor;
import dev.websock.conformance.cases.ConformanceCase;
import dev.websock.conformance.cases.Limits;
import dev.websock.conformance.client.Target;
import dev.websock.conformance.report.HtmlReport;
import dev.websock.conformance.report.JsonReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs the conformance cases against a WebSocket server, in-process: the same runner the command line uses.
 *
 * <pre>{@code
 * RunReport report = ConformanceRunner.builder(URI.create("ws://127.0.0.1:9001/echo"))
 *         .cases("1.*,6.2.4").exclude("9.*")
 *         .reducedLimits(true)
 *         .outputDirectory(Path.of("target/conformance"))
 *         .build()
 *         .run();
 * assertTrue(report.allPassed(), report.summary());
 * }</pre>
 *
 * <p>The server must echo every text and binary message it receives (Autobahn's "echo server" contract), on the
 * URL's path. Cases run one after another, each on its own connection, each bounded in time.
 *
 * <p>Thread-safety: a runner is immutable; {@link #run()} may be called from any thread, and runs may overlap
 * (each opens its own connections).
 */
public final class ConformanceRunner {

    private final URI url;
    private final CaseSelection selection;
    private final Limits limits;
    private final SocketFactory sockets;
    private final Path outputDirectory;
    private final Consumer<CaseResult> progress;

    private ConformanceRunner(Builder b) {
        this.url = b.url;
        this.selection = b.selection;
        this.limits = b.limits;
        this.sockets = b.sockets;
        this.outputDirectory = b.outputDirectory;
        this.progress = b.progress;
    }

    /**
     * @param url the server's echo endpoint, {@code ws://} or {@code wss://}
     * @throws IllegalArgumentException when the URL is not a ws or wss URL (RFC 6455 §3)
     */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    /** The numbers of every case this runner would run, in order. */
    public List<String> selectedCases() {
        return selected().stream().map(ConformanceCase::id).toList();
    }

    private List<ConformanceCase> selected() {
        List<ConformanceCase> cases = new ArrayList<>();
        for (ConformanceCase c : CaseCatalog.all(limits)) {
            if (selection.matches(c.id())) {
                cases.add(c);
            }
        }
        cases.sort(Comparator.comparing(ConformanceCase::id, ConformanceCase::compareIds));
        return cases;
    }

    /**
     * Runs the selected cases and, when an output directory was set, writes {@code report.json}, {@code index.html}
     * and one page per case there.
     *
     * @throws UncheckedIOException when the reports cannot be written (case failures are results, not exceptions)
     */
    public RunReport run() {
        Instant started = Instant.now();
        long start = System.nanoTime();
        Target target = Target.of(url);
        CaseExecutor executor = new CaseExecutor(target, sockets, limits);
        List<CaseResult> results = new ArrayList<>();
        for (ConformanceCase c : selected()) {
            CaseResult r = executor.run(c);
            results.add(r);
            progress.accept(r);
        }
        RunReport report = new RunReport(url.toString(), started, Duration.ofNanos(System.nanoTime() - start),
                limits.reduced(), List.copyOf(results), outputDirectory);
        if (outputDirectory != null) {
            try {
                JsonReport.write(report, outputDirectory.resolve("report.json"));
                HtmlReport.write(report, outputDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the reports to " + outputDirectory, e);
            }
        }
        return report;
    }

    /** Builds a {@link ConformanceRunner}. Not thread-safe. */
    public static final class Builder {

        private final URI url;
        private CaseSelection selection = CaseSelection.all();
        private String include;
        private String exclude;
        private Limits limits = Limits.full();
        private SocketFactory sockets;
        private boolean insecure;
        private SSLContext sslContext;
        private Path outputDirectory;
        private Consumer<CaseResult> progress = r -> { };

        private Builder(URI url) {
            Target.of(url); // fails early on a bad URL
            this.url = url;
        }

        /** Comma-separated case patterns to run, e.g. {@code "1.*,6.2.4"} (default: all). */
        public Builder cases(String patterns) {
            this.include = patterns;
            return this;
        }

        /** Comma-separated case patterns to leave out, e.g. {@code "9.*"} (default: none). */
        public Builder exclude(String patterns) {
            this.exclude = patterns;
            return this;
        }

        /**
         * Smaller messages and fewer repetitions in 9.*, 12.* and 13.* (and shorter pauses in 5.19, 5.20, 6.4.*),
         * for CI. Default: false, Autobahn's full sizes and counts.
         */
        public Builder reducedLimits(boolean reduced) {
            this.limits = reduced ? Limits.reducedLimits() : Limits.full();
            return this;
        }

        /** Trust any server certificate for wss:// and skip host name checks: for self-signed test certificates. */
        public Builder insecure(boolean trustAnyCertificate) {
            this.insecure = trustAnyCertificate;
            return this;
        }

        /** The TLS context for wss:// (default: the JDK's default context, which checks the certificate and host). */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /** Where report.json and the HTML report go (default: none written). */
        public Builder outputDirectory(Path directory) {
            this.outputDirectory = directory;
            return this;
        }

        /** Called after each case, on the running thread, e.g. to print progress. */
        public Builder onCaseFinished(Consumer<CaseResult> listener) {
            this.progress = listener;
            return this;
        }

        public ConformanceRunner build() {
            selection = CaseSelection.of(include, exclude);
            Target target = Target.of(url);
            if (!target.secure()) {
                sockets = SocketFactory.getDefault();
            } else {
                sockets = tlsSockets(target);
            }
            return new ConformanceRunner(this);
        }

        private SocketFactory tlsSockets(Target target) {
            try {
                SSLContext context = sslContext;
                if (insecure) {
                    context = SSLContext.getInstance("TLS");
                    context.init(null, new TrustManager[] {new TrustAnything()}, null);
                } else if (context == null) {
                    context = SSLContext.getDefault();
                }
                return new HostCheckingFactory(context.getSocketFactory(), !insecure);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("could not set up TLS for " + target.host() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Trusts every certificate: only for --insecure against a self-signed test certificate. */
    private static final class TrustAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Unconnected TLS sockets that check the server's host name (HTTPS rules, RFC 2818) unless insecure. */
    private static final class HostCheckingFactory extends SocketFactory {
        private final SSLSocketFactory delegate;
        private final boolean checkHost;

        HostCheckingFactory(SSLSocketFactory delegate, boolean checkHost) {
            this.delegate = delegate;
            this.checkHost = checkHost;
        }

        @Override
        public java.net.Socket createSocket() throws IOException {
            SSLSocket s = (SSLSocket) delegate.createSocket();
            if (checkHost) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
            }
            return s;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException("the runner connects unconnected sockets");
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) {
            throw new UnsupportedOperationException("the runner connects unconnected sockets");
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) {
            throw new UnsupportedOperationException("the runner connects unconnected sockets");
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local,
                                            int localPort) {
            throw new UnsupportedOperationException("the runner connects unconnected sockets");
        }
    }
}
