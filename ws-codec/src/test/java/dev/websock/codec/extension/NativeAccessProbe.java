package dev.websock.codec.extension;

import dev.websock.codec.zlib.Zlib;

/**
 * Run in a child JVM by {@link NativeAccessTest}: negotiates a 12-bit window, compresses and inflates a message,
 * and prints which compressor honoured the window and why zlib was not used, if it was not.
 */
public final class NativeAccessProbe {

    private NativeAccessProbe() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("default-window")) {
            // A server's defaults: a 15-bit window (java.util.zip compresses it), the shared inflaters.
            PerMessageDeflate settings = PerMessageDeflate.defaults();
            byte[] message = "probe probe probe probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] payload = Messages.deflate(new MessageDeflater(settings, 15, false), message).joined();
            MessageInflater inflater = new MessageInflater(1024, false, settings.inflaters());
            System.out.println("roundTrip=" + java.util.Arrays.equals(message, Messages.inflate(inflater, payload).bytes()));
            System.out.println("inflatersExportWindows=" + settings.inflaters().windowsExportable());
            return;
        }
        MessageDeflater deflater = new MessageDeflater(PerMessageDeflate.defaults(), 12, false);
        byte[] message = "probe probe probe probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] payload = Messages.deflate(deflater, message).joined();
        byte[] back = Messages.inflate(new MessageInflater(1024, false, 64), payload).bytes();
        System.out.println("backend=" + deflater.backend());
        System.out.println("roundTrip=" + java.util.Arrays.equals(message, back));
        System.out.println("reason=" + Zlib.unavailableReason());
    }
}
