package dev.websock.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A handler that echoes like {@link EchoHandler} and records what the server saw: the sessions, the events in
 * order ({@code "open"}, {@code "text:…"}, {@code "binary:n"}, {@code "ping:…"}, {@code "pong:…"},
 * {@code "error:Class"}, {@code "close:code"}), the thread of each call, and the first close.
 */
class RecordingHandler implements WebSocketHandler {
    final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    final CopyOnWriteArrayList<Session> sessions = new CopyOnWriteArrayList<>();
    /** Each session's handshake request, read in onOpen (the server gives it up afterwards by default). */
    final CopyOnWriteArrayList<HandshakeRequest> openRequests = new CopyOnWriteArrayList<>();
    final CopyOnWriteArrayList<Thread> threads = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final CompletableFuture<Session> opened = new CompletableFuture<>();
    private final boolean echo;

    RecordingHandler(boolean echo) {
        this.echo = echo;
    }

    private void record(String event) {
        threads.add(Thread.currentThread());
        events.add(event);
    }

    @Override
    public void onOpen(Session session) {
        sessions.add(session);
        openRequests.add(session.request());
        record("open");
        opened.complete(session);
    }

    @Override
    public void onText(Session session, String text) {
        record("text:" + text);
        if (echo) {
            session.sendText(text);
        }
    }

    @Override
    public void onBinary(Session session, ByteBuffer data) {
        record("binary:" + data.remaining());
        if (echo) {
            session.sendBinary(data);
        }
    }

    @Override
    public void onPing(Session session, ByteBuffer data) {
        record("ping:" + StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void onPong(Session session, ByteBuffer data) {
        record("pong:" + StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void onError(Session session, Throwable error) {
        record("error:" + error.getClass().getSimpleName());
        this.error.complete(error);
    }

    @Override
    public void onClose(Session session, int code, String reason) {
        record("close:" + code);
        closeCode.complete(code);
    }

    @Override
    public void onWritable(Session session) {
        record("writable");
    }

    Session awaitOpen() throws Exception {
        return opened.get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    int awaitCloseCode() throws Exception {
        return closeCode.get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Takes events until {@code expected} comes; fails when another close or nothing comes first. */
    String awaitEvent(String prefix) throws InterruptedException {
        while (true) {
            String event = events.poll(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no event starting with " + prefix + " within " + Await.DEADLINE);
            }
            if (event.startsWith(prefix)) {
                return event;
            }
        }
    }
}
