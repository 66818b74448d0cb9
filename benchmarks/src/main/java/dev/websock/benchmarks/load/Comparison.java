package dev.websock.benchmarks.load;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * websock against its best peers in one cell. The best peer is chosen per measure: the one with the most msgs/s
 * for the rate, the one with the lowest p99 for the tail, so each ratio is against the strongest rival on that
 * measure (they may be different servers).
 *
 * @param websock        websock's result
 * @param fastestPeer    the peer with the most msgs/s
 * @param quickestPeer   the peer with the lowest p99
 * @param target         the target for this cell, if any
 */
record Comparison(Result websock, Result fastestPeer, Result quickestPeer, Optional<Target> target) {

    /** The comparison for one cell, or empty unless websock and at least one peer ran in it. */
    static Optional<Comparison> of(Result websock, List<Result> peers) {
        if (websock == null || peers.isEmpty()) {
            return Optional.empty();
        }
        Result fastest = peers.stream().max(Comparator.comparingDouble(Result::messagesPerSecond)).orElseThrow();
        Result quickest = peers.stream().min(Comparator.comparingLong(Result::p99Nanos)).orElseThrow();
        return Optional.of(new Comparison(websock, fastest, quickest, Target.of(websock.cell())));
    }

    Cell cell() {
        return websock.cell();
    }

    /** websock's msgs/s ÷ the fastest peer's: higher is better. */
    double throughputRatio() {
        return websock.messagesPerSecond() / fastestPeer.messagesPerSecond();
    }

    /** websock's p99 ÷ the quickest peer's: lower is better. */
    double p99Ratio() {
        return (double) websock.p99Nanos() / quickestPeer.p99Nanos();
    }
}
