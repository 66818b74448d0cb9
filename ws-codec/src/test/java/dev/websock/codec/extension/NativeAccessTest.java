package dev.websock.codec.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.websock.codec.zlib.Zlib;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What JDK 25 does with the FFM zlib binding under each native-access setting, in a child JVM on the class path
 * (the flags are per JVM): granted, it is used silently; not granted, it is used after a one-time warning;
 * denied, the Huffman-only fallback honours the window and the reason names the flag to add.
 */
class NativeAccessTest {

    private record Run(String stdout, String stderr) {}

    private static Run probe(String... jvmFlags) throws IOException, InterruptedException {
        return probe(List.of(jvmFlags), List.of());
    }

    private static Run probe(List<String> jvmFlags, List<String> probeArguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmFlags);
        command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                NativeAccessProbe.class.getName()));
        command.addAll(probeArguments);
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        Run run = new Run(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        assertEquals(0, process.exitValue(), run.stderr());
        assertTrue(run.stdout().contains("roundTrip=true"), run.stdout());
        return run;
    }

    @Test
    void grantedNativeAccessUsesZlibWithoutAWarning() throws Exception {
        Run run = probe("--enable-native-access=ALL-UNNAMED");
        assertTrue(run.stdout().contains("backend=NATIVE_ZLIB"), run.stdout());
        assertFalse(run.stderr().contains("restricted method"), run.stderr());
    }

    @Test
    void withoutTheFlagJdk25WarnsOnceAndStillUsesZlib() throws Exception {
        Run run = probe();
        assertTrue(run.stdout().contains("backend=NATIVE_ZLIB"), run.stdout());
        assertTrue(run.stderr().contains("restricted method"), run.stderr());
        assertTrue(run.stderr().contains("--enable-native-access"), run.stderr());
    }

    /**
     * A server with permessage-deflate at its default window needs no native access, and must not warn about it:
     * without the grant its inflaters are java.util.zip's (which then stay with idle connections), with it zlib's.
     */
    @Test
    void theDefaultWindowInflatesWithoutAWarningAndUsesZlibOnlyWhenGranted() throws Exception {
        Run silent = probe(List.of(), List.of("default-window"));
        assertTrue(silent.stdout().contains("inflatersExportWindows=false"), silent.stdout());
        assertFalse(silent.stderr().contains("restricted method"), silent.stderr());
        Run granted = probe(List.of("--enable-native-access=ALL-UNNAMED"), List.of("default-window"));
        assertTrue(granted.stdout().contains("inflatersExportWindows=" + Zlib.isAvailable()), granted.stdout());
    }

    @Test
    void deniedNativeAccessFallsBackToHuffmanOnlyAndSaysWhichFlagToAdd() throws Exception {
        Run run = probe("--illegal-native-access=deny");
        assertTrue(run.stdout().contains("backend=HUFFMAN_ONLY"), run.stdout());
        assertTrue(run.stdout().contains("--enable-native-access=dev.websock.codec"), run.stdout());
    }
}
