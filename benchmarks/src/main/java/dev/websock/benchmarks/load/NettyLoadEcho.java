package dev.websock.benchmarks.load;

import dev.websock.benchmarks.harness.ServerConsole;
import dev.websock.benchmarks.harness.TlsMaterial;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Netty 4.2's WebSocket codec as the load benchmark's echo, set up as Netty's examples and Autobahn server are:
 * {@link HttpServerCodec}, {@link HttpObjectAggregator} for the upgrade request, {@link
 * WebSocketServerCompressionHandler} (only with deflate: without it no extension is negotiated), {@link
 * WebSocketServerProtocolHandler} at {@code /echo}, and an echo that writes each received data frame back, the
 * frame object itself (no copy), flushed once per read burst, with auto-read off while the channel is unwritable.
 * One NIO event loop per available processor, accepting and serving; TLS by an {@code SslHandler} with the JDK
 * provider. Netty's defaults otherwise (its pooled allocator, no idle timeout).
 */
final class NettyLoadEcho implements LoadServer.Echo {
    /** Netty's examples aggregate the upgrade request into one {@code FullHttpRequest} of at most 64 KiB. */
    private static final int MAX_UPGRADE_REQUEST = 65536;
    /** Pending connections the kernel queues; the JDK's default, 50, overflows when thousands connect at once. */
    private static final int BACKLOG = 1024;

    private final EventLoopGroup group;
    private final Channel server;

    /**
     * @param keyStore the PKCS#12 key store for {@code wss://}, or null for {@code ws://}
     * @param deflate  whether permessage-deflate is negotiated when a client offers it
     * @param corrupt  whether to damage the {@value LoadServer#CORRUPTED_MESSAGE}th echoed message
     * @param open     counts the sessions currently open (upgraded and not yet closed)
     */
    NettyLoadEcho(Path keyStore, boolean deflate, boolean corrupt, AtomicInteger open) throws Exception {
        // Netty would log through SLF4J, which finds no binding here and says so; the JDK logger is quiet.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        SslContext ssl = keyStore == null ? null
                : SslContextBuilder.forServer(TlsMaterial.keyManagers(keyStore)).sslProvider(SslProvider.JDK)
                        .protocols("TLSv1.3", "TLSv1.2").build();
        WebSocketServerProtocolConfig protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(LoadServer.PATH)
                .allowExtensions(deflate)
                .maxFramePayloadLength(LoadServer.MAX_SIZE)
                .build();
        Corrupt corrupter = corrupt ? new Corrupt() : null;
        group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (ssl != null) {
                            pipeline.addLast(ssl.newHandler(channel.alloc()));
                        }
                        pipeline.addLast(new HttpServerCodec());
                        pipeline.addLast(new HttpObjectAggregator(MAX_UPGRADE_REQUEST));
                        if (deflate) {
                            // Netty's default deflate parameters; inflated messages bounded like every other limit.
                            pipeline.addLast(new WebSocketServerCompressionHandler(LoadServer.MAX_SIZE));
                        }
                        pipeline.addLast(new WebSocketServerProtocolHandler(protocol));
                        if (corrupter != null) {
                            pipeline.addLast(corrupter);
                        }
                        pipeline.addLast(new Echo(open));
                    }
                })
                .bind(LoadServer.HOST, 0).sync().channel();
    }

    @Override
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Writes every text, binary and continuation frame back as the very frame object it received: the write takes
     * over the reference the read handed in. One per channel, because it remembers whether its channel was
     * counted as an open session.
     */
    static final class Echo extends ChannelInboundHandlerAdapter {
        private final AtomicInteger open;
        private boolean counted;

        Echo(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                counted = true;
                open.incrementAndGet();
                ServerConsole.noteIoThread();
            }
            super.userEventTriggered(context, event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) throws Exception {
            if (counted) {
                counted = false;
                open.decrementAndGet();
            }
            super.channelInactive(context);
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame
                    || message instanceof ContinuationWebSocketFrame) {
                context.write(message, context.voidPromise());
            } else {
                ReferenceCountUtil.release(message); // pongs, were they passed on; the protocol handler does the rest
            }
        }

        /** One flush per read burst: pipelined messages leave in as few writes as they came. */
        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
            if (!context.channel().isWritable()) {
                context.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
            if (context.channel().isWritable()) {
                context.channel().config().setAutoRead(true);
            }
            super.channelWritabilityChanged(context);
        }

        /** The protocol handler has already answered a protocol violation with a close frame; others close. */
        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (!(cause instanceof CorruptedWebSocketFrameException)) {
                context.close();
            }
        }
    }

    /**
     * Flips bit 0 of the first payload byte of the {@value LoadServer#CORRUPTED_MESSAGE}th data message, counted
     * over all channels (the client sends single-frame messages, so a text or binary frame starts a message).
     */
    @Sharable
    static final class Corrupt extends ChannelInboundHandlerAdapter {
        private final AtomicInteger messages = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if ((message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame)
                    && messages.incrementAndGet() == LoadServer.CORRUPTED_MESSAGE) {
                ByteBuf payload = ((WebSocketFrame) message).content();
                if (payload.isReadable()) {
                    int index = payload.readerIndex();
                    payload.setByte(index, payload.getByte(index) ^ 1);
                }
            }
            context.fireChannelRead(message);
        }
    }
}
