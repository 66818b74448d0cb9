package dev.websock.osgitests.probes;

import dev.websock.utf8.Unmasker;
import dev.websock.utf8.Utf8;
import dev.websock.utf8.Utf8Validator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * Activator of the probe bundle of {@code dev.websock.utf8}: uses {@link Utf8}, {@link Utf8Validator} and
 * {@link Unmasker} through the probe bundle's {@code Import-Package}, and registers what it saw as a
 * {@code java.util.Map} service with {@code websock.probe.target=dev.websock.utf8} (see
 * {@code ProbedBundle} for the contract every probe follows).
 *
 * <p>The test copies this class file into a bundle it builds, so it may reference only {@code java.*},
 * {@code org.osgi.framework} and {@code dev.websock.utf8}.
 */
public final class Utf8Probe implements BundleActivator {

    private static final String TARGET = "dev.websock.utf8";

    @Override
    public void start(BundleContext context) {
        List<String> failures = new ArrayList<>();
        int checks = 0;

        // Long enough that a vector kernel runs whole vectors, not only its scalar tail.
        byte[] valid = "Grüße, Κόσμε, 𝄞 ✓ ".repeat(16).getBytes(StandardCharsets.UTF_8);
        checks += check(failures, "isValid(valid)", true, Utf8.isValid(valid, 0, valid.length));
        checks += check(failures, "firstInvalid(valid)", -1, Utf8.firstInvalid(valid, 0, valid.length));

        byte[] overlong = concat(valid, 0xC0, 0xAF, 'a', 'b', 'c');
        checks += check(failures, "isValid(overlong)", false, Utf8.isValid(overlong, 0, overlong.length));
        checks += check(failures, "firstInvalid(overlong)", valid.length,
                Utf8.firstInvalid(overlong, 0, overlong.length));
        byte[] surrogate = concat(valid, 0xED, 0xA0, 0x80);
        checks += check(failures, "firstInvalid(surrogate)", valid.length + 1,
                Utf8.firstInvalid(surrogate, 0, surrogate.length));
        byte[] truncated = concat(valid, 0xF0, 0x9D, 0x84);
        checks += check(failures, "firstInvalid(truncated)", truncated.length,
                Utf8.firstInvalid(truncated, 0, truncated.length));

        Utf8Validator validator = new Utf8Validator();
        int rejectedAt = -1;
        for (int from = 0; from < valid.length && rejectedAt < 0; from += 7) {
            rejectedAt = validator.feed(valid, from, Math.min(from + 7, valid.length));
        }
        checks += check(failures, "validator.feed(valid in 7-byte pieces)", -1, rejectedAt);
        checks += check(failures, "validator.isComplete() after valid", true, validator.isComplete());
        validator.reset();
        checks += check(failures, "validator.feed(truncated)", -1, validator.feed(truncated, 0, truncated.length));
        checks += check(failures, "validator.isComplete() after truncated", false, validator.isComplete());
        validator.reset();
        checks += check(failures, "validator.feed(overlong)", valid.length,
                validator.feed(overlong, 0, overlong.length));

        int mask = 0x37FA213D;
        byte[] original = new byte[203];
        for (int i = 0; i < original.length; i++) {
            original[i] = (byte) (i * 31 + 7);
        }
        byte[] expected = new byte[original.length];
        for (int i = 0; i < original.length; i++) {
            expected[i] = (byte) (original[i] ^ (mask >>> (24 - 8 * (i % 4))));
        }
        byte[] buffer = original.clone();
        int phase = Unmasker.unmask(buffer, 0, 101, mask, 0);
        checks += check(failures, "unmask(0, 101) phase", 1, phase);
        phase = Unmasker.unmask(buffer, 101, buffer.length, mask, phase);
        checks += check(failures, "unmask(101, 203) phase", 3, phase);
        checks += check(failures, "unmasked once", Arrays.toString(expected), Arrays.toString(buffer));
        Unmasker.unmask(buffer, 0, buffer.length, mask, 0);
        checks += check(failures, "unmasked twice", Arrays.toString(original), Arrays.toString(buffer));

        Bundle definer = FrameworkUtil.getBundle(Utf8.class);
        Map<String, Object> report = Map.of(
                "loadedBy", definer == null ? "not a bundle: " + Utf8.class.getClassLoader() : definer.getSymbolicName(),
                "kernel", Utf8.kernelName(),
                "checks", checks,
                "failures", List.copyOf(failures));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("websock.probe.target", TARGET);
        context.registerService(Map.class.getName(), report, properties);
    }

    @Override
    public void stop(BundleContext context) {}

    private static int check(List<String> failures, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            failures.add(what + ": expected " + expected + " but was " + actual);
        }
        return 1;
    }

    private static byte[] concat(byte[] head, int... tail) {
        byte[] all = Arrays.copyOf(head, head.length + tail.length);
        for (int i = 0; i < tail.length; i++) {
            all[head.length + i] = (byte) tail[i];
        }
        return all;
    }
}
