package dev.websock.conformance.reference;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Netty 4.2's WebSocket codec as an echo server, set up as its examples and Autobahn server are:
 * {@link WebSocketServerProtocolHandler} (handshake, ping/pong, closing, UTF-8 validation of text frames as they
 * arrive) with extensions allowed and {@link WebSocketServerCompressionHandler} for permessage-deflate, frame
 * payloads up to 64 MiB, and an echo handler that writes each data frame back as it came (fragmentation kept).
 */
public final class NettyEchoServer implements EchoServer {

    private static final int LIMIT = 64 << 20;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel plain;
    private final Channel tls;

    public NettyEchoServer() throws Exception {
        SslContext ssl = SslContextBuilder.forServer(TestCertificate.keyManagers()).build();
        plain = bind(null);
        tls = bind(ssl);
    }

    private Channel bind(SslContext ssl) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc()));
                        }
                        p.addLast(new HttpServerCodec());
                        p.addLast(new HttpObjectAggregator(65536));
                        p.addLast(new WebSocketServerCompressionHandler());
                        p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath("/echo").allowExtensions(true).maxFramePayloadLength(LIMIT).build()));
                        p.addLast(new EchoFrames());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @Override
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + ((InetSocketAddress) plain.localAddress()).getPort() + "/echo");
    }

    @Override
    public URI wssUri() {
        return URI.create("wss://127.0.0.1:" + ((InetSocketAddress) tls.localAddress()).getPort() + "/echo");
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public void close() throws Exception {
        plain.close().sync();
        tls.close().sync();
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    /** Writes every text, binary and continuation frame back as it arrived. */
    private static final class EchoFrames extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                    || frame instanceof ContinuationWebSocketFrame) {
                ctx.writeAndFlush(frame.retainedDuplicate());
            }
        }

        /** The protocol handler has already answered a protocol violation with a close frame; others close. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof CorruptedWebSocketFrameException)) {
                ctx.close();
            }
        }
    }
}
