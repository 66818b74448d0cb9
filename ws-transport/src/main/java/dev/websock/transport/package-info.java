/**
 * The transport SPI: byte streams with backpressure, knowing nothing of WebSocket.
 *
 * <p>A {@link dev.websock.transport.TransportProvider} (found with {@link java.util.ServiceLoader}, built by
 * constructor, or registered as an OSGi service) opens a {@link dev.websock.transport.Transport}. A transport
 * binds {@link dev.websock.transport.Listener listeners} and hands every accepted
 * {@link dev.websock.transport.Connection} to the {@link dev.websock.transport.ConnectionHandler} that the
 * listener's {@link dev.websock.transport.Acceptor} returns. It can also open outbound connections.
 *
 * <h2>Threading contract</h2>
 * Every connection belongs to one thread, its <em>connection thread</em> (an event loop for NIO, a virtual
 * thread for the virtual-thread transport). All callbacks of a connection, its
 * {@link dev.websock.transport.ConnectionHandler} methods, its {@link dev.websock.transport.WriteCallback
 * write callbacks} and its {@link dev.websock.transport.Connection#schedule timers}, run on that thread, one
 * at a time, in the order of the events that caused them. A handler therefore needs no locks for its
 * connection's state. The methods of {@link dev.websock.transport.Connection} may be called from any thread:
 * called on the connection thread they act at once; called elsewhere they are handed to the connection
 * thread and act there in call order.
 *
 * <h2>Buffers</h2>
 * A buffer passed to {@link dev.websock.transport.ConnectionHandler#onRead onRead} is valid only during that
 * call: the transport reuses it. A buffer passed to {@link dev.websock.transport.Connection#write write}
 * belongs to the transport until the write's callback runs; the caller must not change it before then.
 *
 * <h2>Backpressure</h2>
 * Outbound: a connection counts the bytes accepted by {@code write} but not yet written to the network.
 * Above the high-water mark it is {@linkplain dev.websock.transport.Connection#isWritable() not writable};
 * when the count falls to the low-water mark it calls
 * {@link dev.websock.transport.ConnectionHandler#onWritable onWritable}. Writes are never refused for being
 * over the mark: the writer is expected to stop producing, and to stop reading what makes it produce.
 * Inbound: {@link dev.websock.transport.Connection#pauseReading()} stops reads until
 * {@link dev.websock.transport.Connection#resumeReading()}, so a slow consumer pushes back on its peer
 * through TCP flow control.
 */
package dev.websock.transport;
