package trading.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Malformed HTTP requests from a seed, written to a raw socket (an HTTP client library would refuse
 * to send most of them): odd methods, mangled paths and encodings, bad query values, broken,
 * mistyped and huge bodies, wrong content types and credentials. Each request is answered or the
 * connection closed within the timeout, or it counts as a hang.
 */
final class HttpFuzz {

    /** What one request got: a status, 0 when the server closed without answering, -1 on a hang. */
    record Outcome(String request, int status) {
    }

    /** The outcomes of a run, with the requests that broke a rule. */
    record Report(int sent, Map<Integer, Integer> byStatus, List<Outcome> serverErrors, List<Outcome> hangs,
                  List<Outcome> controlAccepted, List<Outcome> readWithoutLogin) {
        @Override
        public String toString() {
            return sent + " requests, by status " + byStatus + "; 5xx " + serverErrors.size() + ", hangs " + hangs.size()
                    + ", control requests accepted " + controlAccepted.size() + ", reads answered without a login "
                    + readWithoutLogin.size()
                    + (readWithoutLogin.isEmpty() ? "" : "; first read without login: " + readWithoutLogin.get(0).request())
                    + (serverErrors.isEmpty() ? "" : "; first 5xx: " + serverErrors.get(0).request())
                    + (hangs.isEmpty() ? "" : "; first hang: " + hangs.get(0).request())
                    + (controlAccepted.isEmpty() ? "" : "; first accepted: " + controlAccepted.get(0).request());
        }
    }

    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD",
            "OPTIONS", "TRACE", "CONNECT", "BREW", "get", "G\tET", "POST\u0000", ""};
    private static final String[] QUERY_VALUES = {"", "-1", "0", "abc", "99999999999999999999", "1e9", "%", "%zz",
            "%00", "%C3%28", "%FF%FE", "<script>", "' OR 1=1 --", "..%2F..%2Fetc%2Fpasswd", "true", "maybe", "NaN",
            "1:", ":x", "123:%2F", "\u00e9", "a".repeat(5_000)};
    private static final String[] QUERY_NAMES = {"limit", "before", "strategy", "ticker", "local", "symbol", "x", ""};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=latin1", "text/plain",
            "application/xml", "multipart/form-data; boundary=", "*/*", "garbage", ""};

    private final String host;
    private final int port;
    private final List<String> paths;
    private final String controlPrefix;
    private final boolean loginsRequired;
    private final Random random;

    /**
     * @param paths         the service's real paths, the starting points of each mangled one
     * @param controlPrefix requests under it that change trading must never succeed (null: none)
     * @param loginsRequired the service requires a login for reads: no request here has one, so
     *                       none but the open ones (health, metrics, OpenAPI, OPTIONS) may succeed
     */
    HttpFuzz(String host, int port, List<String> paths, String controlPrefix, boolean loginsRequired, long seed) {
        this.host = host;
        this.port = port;
        this.paths = paths;
        this.controlPrefix = controlPrefix;
        this.loginsRequired = loginsRequired;
        this.random = new Random(seed);
    }

    Report run(int requests, int timeoutMillis) {
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<Outcome> serverErrors = new ArrayList<>();
        List<Outcome> hangs = new ArrayList<>();
        List<Outcome> accepted = new ArrayList<>();
        List<Outcome> readWithoutLogin = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String target = target();
            byte[] request = request(method, target);
            Outcome outcome = new Outcome(describe(method, target, request.length), send(request, timeoutMillis));
            byStatus.merge(outcome.status(), 1, Integer::sum);
            // "HTTP/9.9": the HTTP layer below the application may answer 501 or 505 (the server
            // does not speak that protocol), as RFC 9110 has it; the dashboard's server does
            boolean unknownVersion = new String(request, 0, Math.min(request.length, 8_192), StandardCharsets.ISO_8859_1)
                    .startsWith(method + " " + target + " HTTP/9.9\r\n");
            if (unknownVersion && (outcome.status() == 501 || outcome.status() == 505)) {
                continue;
            }
            if (outcome.status() >= 500) {
                serverErrors.add(outcome);
            } else if (outcome.status() < 0) {
                hangs.add(outcome);
            } else if (outcome.status() >= 200 && outcome.status() < 300) {
                if (controlPrefix != null && method.equals("POST") && target.startsWith(controlPrefix)) {
                    accepted.add(outcome);
                }
                // the server folds repeated slashes: //q//health is /q/health, open by design
                boolean open = target.replaceAll("/{2,}", "/").startsWith("/q/") || target.equals("*") || method.equals("OPTIONS");
                if (loginsRequired && !open) {
                    readWithoutLogin.add(outcome);
                }
            }
        }
        return new Report(requests, byStatus, serverErrors, hangs, accepted, readWithoutLogin);
    }

    private static String describe(String method, String target, int bytes) {
        String shown = target.length() > 120 ? target.substring(0, 120) + "…(" + target.length() + ")" : target;
        return method.replaceAll("\\p{Cntrl}", "?") + " " + shown.replaceAll("\\p{Cntrl}", "?") + " (" + bytes + " bytes)";
    }

    private String target() {
        String path = paths.get(random.nextInt(paths.size()));
        switch (random.nextInt(10)) {
            case 0 -> path = path + "/" + QUERY_VALUES[random.nextInt(QUERY_VALUES.length)];
            case 1 -> path = path.replace("/", "//");
            case 2 -> path = path + "/..%2F..%2F";
            case 3 -> path = path + "%" + Integer.toHexString(random.nextInt(256));
            case 4 -> path = path + "/" + "x".repeat(random.nextInt(9_000));
            case 5 -> path = path + ";jsessionid=1";
            case 6 -> path = "*";
            default -> { }
        }
        if (random.nextBoolean()) {
            StringBuilder query = new StringBuilder("?");
            int parameters = 1 + random.nextInt(3);
            for (int p = 0; p < parameters; p++) {
                query.append(p == 0 ? "" : random.nextInt(5) == 0 ? ";" : "&")
                        .append(QUERY_NAMES[random.nextInt(QUERY_NAMES.length)])
                        .append(random.nextInt(6) == 0 ? "" : "=" + QUERY_VALUES[random.nextInt(QUERY_VALUES.length)]);
            }
            path += query;
        }
        return path;
    }

    private byte[] request(String method, String target) {
        byte[] body = body();
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(random.nextInt(20) == 0 ? " HTTP/9.9" : " HTTP/1.1").append("\r\n");
        head.append("Host: ").append(host).append(':').append(port).append("\r\n");
        if (random.nextInt(3) > 0) {
            head.append("Content-Type: ").append(CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]).append("\r\n");
        }
        switch (random.nextInt(6)) {
            case 0 -> head.append("Authorization: Basic ").append(Base64.getEncoder()
                    .encodeToString(("intruder" + random.nextInt(5) + ":guess" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8))).append("\r\n");
            case 1 -> head.append("Authorization: Basic !!!not-base64\r\n");
            // an unsigned token ("alg": "none") claiming nothing, or one that is not a token at all
            case 2 -> head.append(random.nextBoolean() ? "Authorization: Bearer eyJhbGciOiJub25lIn0.e30.\r\n"
                    : "Authorization: Bearer %%%.not.a-token\r\n");
            case 3 -> head.append("X-Pipeline-Peer: ").append(random.nextInt(1_000_000)).append("\r\n");
            default -> { }
        }
        if (random.nextInt(15) == 0) {
            head.append("Transfer-Encoding: chunked\r\n"); // and then a body that is not chunked
        }
        int declared = random.nextInt(12) == 0 ? body.length + 1 + random.nextInt(10) : body.length; // too long: a hang, unless answered
        if (random.nextInt(20) == 0) {
            head.append("Content-Length: -").append(declared).append("\r\n");
        } else if (body.length > 0 || random.nextBoolean()) {
            head.append("Content-Length: ").append(declared).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    private byte[] body() {
        return switch (random.nextInt(10)) {
            case 0 -> "{".getBytes(StandardCharsets.UTF_8);
            case 1 -> "{\"reason\": 5}".getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"reason\":\"" + "x".repeat(random.nextInt(20_000)) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 3 -> new byte[]{(byte) 0xC3, 0x28, (byte) 0xFF, 0x00, '{', '}'};
            case 4 -> "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".repeat(200).getBytes(StandardCharsets.UTF_8);
            case 5 -> {
                byte[] noise = new byte[random.nextInt(4096)];
                random.nextBytes(noise);
                yield noise;
            }
            case 6 -> "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8); // a megabyte
            case 7 -> "{\"reason\":null,\"extra\":{\"deep\":[1,2,{\"x\":true}]}}".getBytes(StandardCharsets.UTF_8);
            default -> new byte[0];
        };
    }

    /** The status of the answer, 0 if the server closed without one, -1 if it neither answered nor closed in time. */
    private int send(byte[] request, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before a large body is written: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n' && line.size() < 1024) {
                line.write(b);
            }
            String status = line.toString(StandardCharsets.ISO_8859_1).trim();
            if (!status.startsWith("HTTP/")) {
                return 0;
            }
            String[] parts = status.split(" ");
            int code = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            in.transferTo(OutputStream.nullOutputStream()); // the whole answer, to its end, within the timeout
            return code;
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            return 0; // reset or refused mid-request: no answer, but no hang and no server error
        }
    }
}
