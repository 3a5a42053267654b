package trading.schema.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The people who may call a service's protected endpoints, as the services read them from a file
 * ({@code pipeline.http.users-file}) that holds no password: one line per user,
 * {@code name:role,role:iterations:salt:hash} with a PBKDF2-HMAC-SHA256 hash (Base64). The launcher
 * writes it from the passwords it generates; on Kubernetes it comes from a Secret. Lines starting
 * with {@code #} are comments.
 */
public final class HttpUsers {

    /** About 10 ms per check on a 2-core machine: slow for guessing, cheap for a kill switch. */
    public static final int ITERATIONS = 20_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    /** One user: who, what roles, and what proves the password. */
    public record User(String name, Set<String> roles, int iterations, byte[] salt, byte[] hash) {

        /** Whether {@code password} is this user's, compared in constant time. */
        public boolean verify(char[] password) {
            return MessageDigest.isEqual(hash, pbkdf2(password, salt, iterations));
        }
    }

    private final Map<String, User> users;

    private HttpUsers(Map<String, User> users) {
        this.users = users;
    }

    /** No one: every login fails (a service started without a users file). */
    public static HttpUsers none() {
        return new HttpUsers(Map.of());
    }

    /**
     * Checked against when the name is nobody's: an unknown name costs the same PBKDF2 derivation
     * as a known one, so the time of a refusal does not tell which names exist.
     */
    private static final User NOBODY = new User("", Set.of(), ITERATIONS, new byte[SALT_BYTES], new byte[HASH_BITS / 8]);

    /** PBKDF2 derivations made, in this process: what a login costs, counted. */
    private static final java.util.concurrent.atomic.AtomicLong DERIVATIONS = new java.util.concurrent.atomic.AtomicLong();

    /** The user called {@code name}, or null. */
    public User find(String name) {
        return users.get(name);
    }

    /**
     * The user called {@code name} if {@code password} is theirs, else empty; the same work either
     * way (one derivation at {@link #ITERATIONS}, or the user's own count).
     */
    public java.util.Optional<User> login(String name, char[] password) {
        User user = users.get(name);
        boolean right = (user != null ? user : NOBODY).verify(password);
        return user != null && right ? java.util.Optional.of(user) : java.util.Optional.empty();
    }

    static long derivations() {
        return DERIVATIONS.get();
    }

    public Set<String> names() {
        return users.keySet();
    }

    /** Reads a users file; a malformed line stops with the file, the line number and what is wrong. */
    public static HttpUsers read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the HTTP users file " + file + ": " + e.getMessage(), e);
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                User user = parse(line);
                if (users.putIfAbsent(user.name(), user) != null) {
                    throw new IllegalArgumentException("user " + user.name() + " appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage()
                        + " (expected name:role,role:iterations:salt:hash)");
            }
        }
        return new HttpUsers(Map.copyOf(users));
    }

    private static User parse(String line) {
        String[] fields = line.split(":", -1);
        if (fields.length != 5) {
            throw new IllegalArgumentException("has " + fields.length + " fields, not 5");
        }
        String name = fields[0];
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("user name must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String role : fields[1].split(",")) {
            if (!role.isBlank()) {
                roles.add(role.strip());
            }
        }
        int iterations;
        try {
            iterations = Integer.parseInt(fields[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations '" + fields[2] + "' is not a number");
        }
        if (iterations < 1_000) {
            throw new IllegalArgumentException("iterations must be at least 1000, was " + iterations);
        }
        byte[] salt;
        byte[] hash;
        try {
            salt = Base64.getDecoder().decode(fields[3]);
            hash = Base64.getDecoder().decode(fields[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("salt or hash is not Base64");
        }
        if (hash.length != HASH_BITS / 8 || salt.length < 8) {
            throw new IllegalArgumentException("hash must be 32 bytes and salt at least 8");
        }
        return new User(name, Set.copyOf(roles), iterations, salt, hash);
    }

    /** The line for {@code name} with {@code roles} and {@code password}, with a fresh salt. */
    public static String line(String name, Set<String> roles, char[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder();
        String line = name + ":" + String.join(",", roles) + ":" + ITERATIONS + ":" + base64.encodeToString(salt) + ":"
                + base64.encodeToString(pbkdf2(password, salt, ITERATIONS));
        parse(line); // what we write, we can read
        return line;
    }

    /** A random password of {@code bytes} bytes, URL-safe Base64 (no characters a shell or URL mangles). */
    public static String randomSecret(SecureRandom random, int bytes) {
        byte[] secret = new byte[bytes];
        random.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        DERIVATIONS.incrementAndGet();
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String toString() {
        return "HttpUsers" + users.keySet();
    }
}
