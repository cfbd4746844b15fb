package io.mnistspark.data;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An HTTP server on 127.0.0.1 serving fixed byte arrays under /NAME, counting requests. */
public final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Long> endless = new ConcurrentHashMap<>();
    private final Map<String, long[]> trickles = new ConcurrentHashMap<>();
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();

    public LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String name = exchange.getRequestURI().getPath().substring(1);
            requests.merge(name, 1, Integer::sum);
            byte[] body = files.get(name);
            if (endless.containsKey(name)) {
                sendEndless(exchange, endless.get(name));
                return;
            }
            if (trickles.containsKey(name)) {
                sendTrickle(exchange, trickles.get(name));
                return;
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "loopback-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** Zero bytes without end (chunked, no length), until the client hangs up or {@code maxBytes} went out. */
    private static void sendEndless(com.sun.net.httpserver.HttpExchange exchange, long maxBytes) throws IOException {
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; sent < maxBytes; sent += chunk.length) {
                out.write(chunk);
            }
        } catch (IOException e) {
            // the client stopped reading: what the test wants
        }
        exchange.close();
    }

    /** One byte every {@code millis}, {@code count} bytes, announced as {@code announced} bytes (0: no length). */
    private static void sendTrickle(com.sun.net.httpserver.HttpExchange exchange, long[] spec) throws IOException {
        long millis = spec[0];
        long count = spec[1];
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (long i = 0; i < count; i++) {
                out.write(0x1f);
                out.flush();
                Thread.sleep(millis);
            }
        } catch (IOException e) {
            // the client gave up: what the test wants
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    /** Serves {@code name} as an endless body (stopping after {@code maxBytes}, a bound for the test). */
    public LoopbackServer serveEndless(String name, long maxBytes) {
        endless.put(name, maxBytes);
        return this;
    }

    /** Serves {@code name} one byte every {@code millis} ms, {@code count} bytes in all. */
    public LoopbackServer serveTrickle(String name, long millis, long count) {
        trickles.put(name, new long[]{millis, count});
        return this;
    }

    public LoopbackServer serve(String name, byte[] content) {
        files.put(name, content);
        return this;
    }

    public int requests(String name) {
        return requests.getOrDefault(name, 0);
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
