package dev.websock.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The connection limit holds when event loops admit connections at the same moment. */
class SessionsTest {

    @Test
    void twoLoopsAdmittingAtOnceNeverExceedTheLimit() throws Exception {
        for (int trial = 0; trial < 2000; trial++) {
            Sessions sessions = new Sessions(1);
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicInteger admitted = new AtomicInteger();
            Runnable admit = () -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (sessions.admit(new ServerConnection(null, sessions))) {
                    admitted.incrementAndGet();
                }
            };
            Thread a = Thread.ofPlatform().start(admit);
            Thread b = Thread.ofPlatform().start(admit);
            a.join();
            b.join();
            assertEquals(1, admitted.get(), "trial " + trial + ": admitted beyond maxConnections 1");
            assertEquals(1, sessions.count());
        }
    }

    @Test
    void aRemovedConnectionFreesItsPlace() {
        Sessions sessions = new Sessions(1);
        ServerConnection first = new ServerConnection(null, sessions);
        assertTrue(sessions.admit(first));
        assertFalse(sessions.admit(new ServerConnection(null, sessions)));
        sessions.remove(first);
        sessions.remove(first); // twice: onClosed runs once, but removal must not count down twice
        assertTrue(sessions.admit(new ServerConnection(null, sessions)));
        assertFalse(sessions.admit(new ServerConnection(null, sessions)));
    }
}
