package dev.websock.transport;

/**
 * Learns how a {@link Connection#write write} ended, on the connection thread. One instance may serve many
 * writes (it receives no per-write state), so steady-state writing allocates nothing.
 */
public interface WriteCallback {

    /** A callback for writes whose outcome does not matter; failures still close the connection. */
    WriteCallback NONE = new WriteCallback() {
        @Override
        public void completed(Connection connection) {
        }

        @Override
        public void failed(Connection connection, Throwable cause) {
        }
    };

    /** Every byte of the write has been handed to the network (or to the layer below); its buffers are free. */
    void completed(Connection connection);

    /** The write will never complete: the connection failed or was aborted; its buffers are free. */
    void failed(Connection connection, Throwable cause);
}
