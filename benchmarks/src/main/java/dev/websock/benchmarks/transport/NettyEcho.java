package dev.websock.benchmarks.transport;

import dev.websock.benchmarks.harness.ServerConsole;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;

/**
 * The reference: Netty 4.2 on its NIO transport with one event loop for accepting and for the connections (as
 * websock's NIO transport with one loop), a raw {@link ChannelInboundHandlerAdapter} echo writing back the very
 * buffer it read (no copy), flushed once per read burst, auto-read off while unwritable; for TLS an
 * {@code SslHandler} with the JDK provider. Netty's defaults otherwise (its pooled direct allocator).
 */
final class NettyEcho implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;

    /**
     * @param corruptAt when non-negative, the server flips the bit 0 of the byte at this offset of every
     *                  connection's stream: the load generator's self-test
     */
    NettyEcho(InetSocketAddress address, KeyManagerFactory tls, boolean idle, long corruptAt, AtomicInteger open)
            throws Exception {
        // Netty would log through SLF4J, which finds no binding here and says so; the JDK logger is quiet.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        SslContext ssl = tls == null ? null
                : SslContextBuilder.forServer(tls).sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
        ChannelInboundHandlerAdapter handler = idle ? new Idle(open) : new Echo(open);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (ssl != null) {
                            channel.pipeline().addLast(ssl.newHandler(channel.alloc()));
                        }
                        if (corruptAt >= 0) {
                            channel.pipeline().addLast(new Corrupt(corruptAt));
                        }
                        channel.pipeline().addLast(handler);
                    }
                })
                .bind(address).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        private final AtomicInteger open;

        Echo(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            open.incrementAndGet();
            ServerConsole.noteIoThread();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            open.decrementAndGet();
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            context.write(message, context.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
            if (!context.channel().isWritable()) {
                context.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) {
            if (context.channel().isWritable()) {
                context.channel().config().setAutoRead(true);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }

    /** Flips one bit of the echoed stream, to prove that the load generator notices. */
    static final class Corrupt extends ChannelInboundHandlerAdapter {
        private final long at;
        private long seen;

        Corrupt(long at) {
            this.at = at;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf buffer = (ByteBuf) message;
            int length = buffer.readableBytes();
            if (seen <= at && at < seen + length) {
                int index = buffer.readerIndex() + (int) (at - seen);
                buffer.setByte(index, buffer.getByte(index) ^ 1);
            }
            seen += length;
            context.fireChannelRead(message);
        }
    }

    @Sharable
    static final class Idle extends ChannelInboundHandlerAdapter {
        private final AtomicInteger open;

        Idle(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            open.incrementAndGet();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            open.decrementAndGet();
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            context.writeAndFlush(message); // the memory mode's one message per connection
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            context.close();
        }
    }
}
