package trading.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token issuer of the test's own, as an OIDC provider would be: an RSA key whose public half the
 * services are told to trust, and signed JWTs (RS256) with the claims a provider puts in them.
 */
final class TestTokens {

    static final String ISSUER = "pipeline-it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    TestTokens() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as PEM, where the services read it ({@code mp.jwt.verify.publickey.location}). */
    Path writePublicKey(Path file) throws IOException {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.createDirectories(file.getParent());
        Files.writeString(file, pem);
        return file;
    }

    /** The audience the services accept by default ({@code mp.jwt.verify.audiences}). */
    static final String AUDIENCE = "trading-pipeline";

    /** A token for {@code user} in {@code groups}, for the pipeline, valid for five minutes from {@code issuedAt}. */
    String token(String user, List<String> groups, String issuer, Instant issuedAt) {
        return token(user, groups, issuer, issuedAt, AUDIENCE);
    }

    /** A token for {@code audience}: another application's token, if it is not the pipeline's. */
    String token(String user, List<String> groups, String issuer, Instant issuedAt, String audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", audience);
        claims.put("sub", user);
        claims.put("upn", user);
        claims.put("groups", groups);
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("exp", issuedAt.plusSeconds(300).getEpochSecond());
        return sign(claims, keys);
    }

    String token(String user, List<String> groups) {
        return token(user, groups, ISSUER, Instant.now());
    }

    /** The same claims signed by a key nobody trusts. */
    static String forgedToken(String user, List<String> groups) {
        TestTokens other = new TestTokens();
        return other.token(user, groups);
    }

    private static String sign(Map<String, Object> claims, KeyPair keys) {
        try {
            String header = BASE64URL.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String payload = BASE64URL.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + BASE64URL.encodeToString(rsa.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
