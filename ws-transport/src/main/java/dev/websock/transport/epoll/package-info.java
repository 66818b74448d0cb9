/**
 * The Linux epoll transport: NIO-style event loops on an epoll instance and non-blocking sockets called through
 * the Foreign Function and Memory API, for servers that hold many idle connections and want the least memory and
 * CPU per connection. See {@link dev.websock.transport.epoll.EpollTransportProvider} for when it can run and the
 * flag it needs.
 */
package dev.websock.transport.epoll;
