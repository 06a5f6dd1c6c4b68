package dev.keel.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection spoken by hand, for what {@link java.net.http.HttpClient} hides: whether
 * the server kept the connection open after an answer, or closed (or reset) it. HttpClient
 * quietly opens a new connection when the server announced a close, so only a raw socket can tell
 * "answered, then closed on purpose" from "answered and still usable".
 */
final class RawHttpConnection implements AutoCloseable {
    /** One answer as it came over the wire; header names in lower case. */
    record Answer(int status, Map<String, String> headers, String body) {
        boolean announcesClose() {
            return "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);  // a safety net against a hang, not a measurement
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends {@code method path} with {@code body} (null: none) as JSON, with its Content-Length. */
    void send(String method, String path, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        sendHead(method, path, body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n");
        out.write(bytes);
        out.flush();
    }

    /** Sends a request's line and {@code headers} (each ending in CRLF), and no body: the caller sends what it likes. */
    void sendHead(String method, String path, String headers) throws IOException {
        out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends {@code bytes} as (part of) a body. */
    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next answer; EOFException when the server closed the connection before a whole one arrived. */
    Answer read() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("the server closed the connection without answering");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = exactly(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked();
        } else {
            body = in.readAllBytes();  // delimited by the close
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server has closed its side: a read finds the end of the stream (or a reset). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            if (size == null) {
                throw new EOFException("the connection closed inside a chunked body");
            }
            int length = Integer.parseInt(size.split(";", 2)[0].trim(), 16);
            if (length == 0) {
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers carry nothing this test reads
                }
                return body.toByteArray();
            }
            body.write(exactly(length));
            line();
        }
    }

    private byte[] exactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    /** A CRLF-terminated line, or null at the end of the stream before any byte of it. */
    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("the connection closed inside a line");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
