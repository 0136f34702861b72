package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code crypto.subtle} with key pairs: generating them, exporting public and private keys, Ed25519, ECDH and X25519,
 * RSA-OAEP. Whatever the sandbox signs, encrypts or agrees on is checked by the JDK from outside it, and what the JDK
 * makes is read back inside, so both ends of each operation are the standard's and not only each other's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebKeyPairsTest {

  private static final byte[] DATA = "signed payload".getBytes(StandardCharsets.UTF_8);
  private static final Base64.Encoder BASE64 = Base64.getEncoder();
  private static final Base64.Decoder DECODE = Base64.getDecoder();

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  /**
   * Runs {@code body} with {@code s} (crypto.subtle), {@code b64}/{@code out} (base64 in and out), {@code data} (the
   * payload), {@code failure} (the name of what a call rejects with) and {@code found}, an object whose members come
   * back as the answer's entries.
   */
  private static Map<String, String> run(String body, Map<String, String> event) {
    StringJoiner json = new StringJoiner(",", "{", "}");
    event.forEach((name, value) -> json.add("\"" + name + "\":\"" + value + "\""));
    String answer = assertSuccessBody(runtime.execute(TestRequest.asyncHandler("""
        const s = crypto.subtle;
        const b64 = (x) => Uint8Array.from(atob(x), (c) => c.charCodeAt(0));
        const out = (b) => btoa(String.fromCharCode(...new Uint8Array(b)));
        const data = new TextEncoder().encode('signed payload');
        const failure = async (f) => { try { await f(); return 'none'; } catch (e) { return e.name; } };
        const found = {};
        """ + body + """

        return {statusCode: 200, body: Object.entries(found).map(([k, v]) => k + '=' + v).join('\\n')};
        """).event(json.toString()).build()));
    Map<String, String> found = new LinkedHashMap<>();
    for (String line : answer.split("\n")) {
      String[] pair = line.split("=", 2);
      found.put(pair[0], pair[1]);
    }
    return found;
  }

  private static PublicKey spki(String algorithm, String base64) throws Exception {
    return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(DECODE.decode(base64)));
  }

  private static boolean verifies(String algorithm, PublicKey key, String signature) throws Exception {
    Signature verifier = Signature.getInstance(algorithm);
    if (algorithm.equals("RSASSA-PSS")) {
      verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    }
    verifier.initVerify(key);
    verifier.update(DATA);
    return verifier.verify(DECODE.decode(signature));
  }

  @Test
  void generatedKeyPairsSignWhatTheJdkVerifiesAndExportTheirKeysInEveryFormat() throws Exception {
    Map<String, String> found = run("""
        const pairs = {
          ecdsa: await s.generateKey({name: 'ECDSA', namedCurve: 'P-256'}, true, ['sign', 'verify']),
          pkcs1: await s.generateKey({name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
              publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'}, true, ['sign', 'verify']),
          pss: await s.generateKey({name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]),
              hash: 'SHA-256'}, false, ['sign', 'verify']),
          ed: await s.generateKey('Ed25519', true, ['sign', 'verify']),
        };
        const how = {ecdsa: {name: 'ECDSA', hash: 'SHA-256'}, pkcs1: 'RSASSA-PKCS1-v1_5',
            pss: {name: 'RSA-PSS', saltLength: 32}, ed: 'Ed25519'};
        for (const [name, pair] of Object.entries(pairs)) {
          const signed = await s.sign(how[name], pair.privateKey, data);
          found[name + 'Signature'] = out(signed);
          found[name + 'Spki'] = out(await s.exportKey('spki', pair.publicKey));
          found[name + 'VerifiesItself'] = await s.verify(how[name], pair.publicKey, signed, data);
          found[name + 'Usages'] = pair.publicKey.usages.join() + '|' + pair.privateKey.usages.join();
          found[name + 'Extractable'] = pair.publicKey.extractable + '|' + pair.privateKey.extractable;
        }
        found.described = pairs.ecdsa.privateKey.algorithm.namedCurve + ' ' + pairs.pkcs1.publicKey.algorithm
            .modulusLength + ' ' + pairs.pss.publicKey.algorithm.hash.name + ' ' + pairs.ed.publicKey.algorithm.name;
        const ecJwk = await s.exportKey('jwk', pairs.ecdsa.privateKey);
        found.ecJwk = [ecJwk.kty, ecJwk.crv, ecJwk.x.length, ecJwk.y.length, ecJwk.d.length, ecJwk.key_ops].join();
        const fromJwk = await s.importKey('jwk', ecJwk, {name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign']);
        found.ecJwkSignature = out(await s.sign(how.ecdsa, fromJwk, data));
        const fromPkcs8 = await s.importKey('pkcs8', await s.exportKey('pkcs8', pairs.ecdsa.privateKey),
            {name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign']);
        found.ecPkcs8Signature = out(await s.sign(how.ecdsa, fromPkcs8, data));
        found.ecRaw = out(await s.exportKey('raw', pairs.ecdsa.publicKey));
        const rsaJwk = await s.exportKey('jwk', pairs.pkcs1.privateKey);
        found.rsaJwk = [rsaJwk.kty, rsaJwk.alg, rsaJwk.e, ['n', 'd', 'p', 'q', 'dp', 'dq', 'qi']
            .every((m) => typeof rsaJwk[m] === 'string')].join();
        const rsaAgain = await s.importKey('jwk', rsaJwk, {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'}, false,
            ['sign']);
        found.rsaJwkSignature = out(await s.sign(how.pkcs1, rsaAgain, data));
        const edJwk = await s.exportKey('jwk', pairs.ed.privateKey);
        found.edJwk = [edJwk.kty, edJwk.crv, edJwk.x === (await s.exportKey('jwk', pairs.ed.publicKey)).x,
            edJwk.d.length].join();
        found.edRawLength = (await s.exportKey('raw', pairs.ed.publicKey)).byteLength;
        """, Map.of());
    KeyFactory ec = KeyFactory.getInstance("EC");
    PublicKey ecdsa = spki("EC", found.get("ecdsaSpki"));
    assertTrue(verifies("SHA256withECDSAinP1363Format", ecdsa, found.get("ecdsaSignature")));
    assertTrue(verifies("SHA256withRSA", spki("RSA", found.get("pkcs1Spki")), found.get("pkcs1Signature")));
    assertTrue(verifies("RSASSA-PSS", spki("RSA", found.get("pssSpki")), found.get("pssSignature")));
    assertTrue(verifies("Ed25519", spki("Ed25519", found.get("edSpki")), found.get("edSignature")));
    for (String name : new String[] {"ecdsa", "pkcs1", "pss", "ed"}) {
      assertEquals("true", found.get(name + "VerifiesItself"), name);
      assertEquals("verify|sign", found.get(name + "Usages"), name);
    }
    assertEquals("true|true", found.get("ecdsaExtractable"));
    assertEquals("true|false", found.get("pssExtractable"), "a public key is always extractable");
    assertEquals("P-256 2048 SHA-256 Ed25519", found.get("described"));
    assertEquals("EC,P-256,43,43,43,sign", found.get("ecJwk"));
    assertTrue(verifies("SHA256withECDSAinP1363Format", ecdsa, found.get("ecJwkSignature")));
    assertTrue(verifies("SHA256withECDSAinP1363Format", ecdsa, found.get("ecPkcs8Signature")));
    ECPublicKey point = (ECPublicKey) ec.generatePublic(new X509EncodedKeySpec(DECODE.decode(found.get("ecdsaSpki"))));
    byte[] raw = DECODE.decode(found.get("ecRaw"));
    assertEquals(65, raw.length);
    assertEquals(4, raw[0]);
    assertEquals(point.getW().getAffineX(), new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)));
    assertEquals("RSA,RS256,AQAB,true", found.get("rsaJwk"));
    // PKCS #1 v1.5 is deterministic: the key read back from its JWK signs the same bytes
    assertEquals(found.get("pkcs1Signature"), found.get("rsaJwkSignature"));
    assertEquals("OKP,Ed25519,true,43", found.get("edJwk"));
    assertEquals("32", found.get("edRawLength"));
  }

  @Test
  void ed25519KeysFromTheJdkSignAndVerifyInEveryFormat() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(pair.getPrivate());
    signer.update(DATA);
    byte[] signature = signer.sign();
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    Map<String, String> found = run("""
        const raw = await s.importKey('raw', b64(event.raw), 'Ed25519', true, ['verify']);
        const jwk = await s.importKey('jwk', {kty: 'OKP', crv: 'Ed25519', x: event.x}, {name: 'Ed25519'}, false,
            ['verify']);
        const spki = await s.importKey('spki', b64(event.spki), 'Ed25519', false, ['verify']);
        const unusable = await s.importKey('spki', b64(event.spki), 'Ed25519', false, []);
        const signature = b64(event.signature);
        found.raw = await s.verify('Ed25519', raw, signature, data);
        found.jwk = await s.verify('Ed25519', jwk, signature, data);
        found.spki = await s.verify('Ed25519', spki, signature, data);
        found.noUsage = await failure(() => s.verify('Ed25519', unusable, signature, data));
        found.tampered = await s.verify('Ed25519', raw, signature, new TextEncoder().encode('signed payloaD'));
        found.shortSignature = await s.verify('Ed25519', raw, signature.slice(1), data);
        const priv = await s.importKey('pkcs8', b64(event.pkcs8), 'Ed25519', true, ['sign']);
        found.signed = out(await s.sign('Ed25519', priv, data));
        const privJwk = await s.exportKey('jwk', priv);
        found.jwkX = privJwk.x;
        const again = await s.importKey('jwk', privJwk, 'Ed25519', false, ['sign']);
        found.signedFromJwk = out(await s.sign('Ed25519', again, data));
        found.rawExported = out(await s.exportKey('raw', raw));
        found.x25519Jwk = await failure(() => s.importKey('jwk', {kty: 'OKP', crv: 'X25519', x: event.x},
            'Ed25519', false, ['verify']));
        found.shortKey = await failure(() => s.importKey('raw', new Uint8Array(31), 'Ed25519', false, ['verify']));
        found.verifyOnPrivate = await failure(() => s.importKey('pkcs8', b64(event.pkcs8), 'Ed25519', false,
            ['verify']));
        """, Map.of("raw", BASE64.encodeToString(Arrays.copyOfRange(spki, 12, 44)),
        "x", url.encodeToString(Arrays.copyOfRange(spki, 12, 44)), "spki", BASE64.encodeToString(spki),
        "pkcs8", BASE64.encodeToString(pkcs8), "signature", BASE64.encodeToString(signature)));
    assertEquals("true", found.get("raw"));
    assertEquals("true", found.get("jwk"));
    assertEquals("true", found.get("spki"));
    assertEquals("InvalidAccessError", found.get("noUsage"), "a key imported without usages cannot verify");
    assertEquals("false", found.get("tampered"));
    assertEquals("false", found.get("shortSignature"));
    // Ed25519 signatures are deterministic: the same key signs the JDK's own bytes
    assertEquals(BASE64.encodeToString(signature), found.get("signed"));
    assertEquals(BASE64.encodeToString(signature), found.get("signedFromJwk"));
    assertEquals(url.encodeToString(Arrays.copyOfRange(spki, 12, 44)), found.get("jwkX"),
        "the private key's JWK carries the public key it belongs to");
    assertEquals(BASE64.encodeToString(Arrays.copyOfRange(spki, 12, 44)), found.get("rawExported"));
    assertEquals("DataError", found.get("x25519Jwk"));
    assertEquals("DataError", found.get("shortKey"));
    assertEquals("SyntaxError", found.get("verifyOnPrivate"));
  }

  @Test
  void ecdhAndX25519AgreeOnTheSecretTheJdkComputes() throws Exception {
    KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
    ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ecMine = ecGenerator.generateKeyPair();
    KeyPair ecTheirs = ecGenerator.generateKeyPair();
    KeyPair xMine = KeyPairGenerator.getInstance("X25519").generateKeyPair();
    KeyPair xTheirs = KeyPairGenerator.getInstance("X25519").generateKeyPair();
    Map<String, String> found = run("""
        const ecdh = {name: 'ECDH', namedCurve: 'P-256'};
        const mine = await s.importKey('pkcs8', b64(event.ecMine), ecdh, true, ['deriveBits', 'deriveKey']);
        const theirs = await s.importKey('spki', b64(event.ecTheirs), ecdh, true, []);
        found.ec = out(await s.deriveBits({name: 'ECDH', public: theirs}, mine, null));
        found.ec128 = out(await s.deriveBits({name: 'ECDH', public: theirs}, mine, 128));
        const theirsRaw = await s.importKey('raw', await s.exportKey('raw', theirs), ecdh, false, []);
        found.ecFromRaw = out(await s.deriveBits({name: 'ECDH', public: theirsRaw}, mine, 256));
        const aes = await s.deriveKey({name: 'ECDH', public: theirs}, mine, {name: 'AES-GCM', length: 256}, true,
            ['encrypt']);
        found.ecAesKey = out(await s.exportKey('raw', aes));
        const myJwk = await s.exportKey('jwk', mine);
        found.ecJwk = myJwk.x + '.' + myJwk.y;
        const x = {name: 'X25519'};
        const xMine = await s.importKey('pkcs8', b64(event.xMine), x, false, ['deriveBits']);
        const xTheirs = await s.importKey('spki', b64(event.xTheirs), 'X25519', true, []);
        found.x = out(await s.deriveBits({name: 'X25519', public: xTheirs}, xMine, 256));
        const alice = await s.generateKey({name: 'ECDH', namedCurve: 'P-384'}, false, ['deriveBits']);
        const bob = await s.generateKey({name: 'ECDH', namedCurve: 'P-384'}, false, ['deriveBits']);
        found.generatedAgree = out(await s.deriveBits({name: 'ECDH', public: bob.publicKey}, alice.privateKey, null))
            === out(await s.deriveBits({name: 'ECDH', public: alice.publicKey}, bob.privateKey, null));
        found.generatedUsages = alice.publicKey.usages.length + '|' + alice.privateKey.usages.join();
        const xa = await s.generateKey('X25519', true, ['deriveBits']);
        found.otherCurve = await failure(() => s.deriveBits({name: 'ECDH', public: bob.publicKey}, mine, null));
        found.notEcdhPublic = await failure(() => s.deriveBits({name: 'ECDH', public: mine}, mine, null));
        found.wrongAlgorithm = await failure(() => s.deriveBits({name: 'X25519', public: theirs}, xa.privateKey,
            null));
        found.noPublic = await failure(() => s.deriveBits({name: 'ECDH'}, mine, null));
        found.tooLong = await failure(() => s.deriveBits({name: 'ECDH', public: theirs}, mine, 264));
        found.publicUsage = await failure(() => s.importKey('spki', b64(event.ecTheirs), ecdh, false,
            ['deriveBits']));
        found.noPrivateUsage = await failure(() => s.generateKey(ecdh, false, []));
        """, Map.of("ecMine", BASE64.encodeToString(ecMine.getPrivate().getEncoded()),
        "ecTheirs", BASE64.encodeToString(ecTheirs.getPublic().getEncoded()),
        "xMine", BASE64.encodeToString(xMine.getPrivate().getEncoded()),
        "xTheirs", BASE64.encodeToString(xTheirs.getPublic().getEncoded())));
    byte[] ecSecret = agree("ECDH", ecMine, ecTheirs);
    assertEquals(BASE64.encodeToString(ecSecret), found.get("ec"));
    assertEquals(BASE64.encodeToString(Arrays.copyOf(ecSecret, 16)), found.get("ec128"));
    assertEquals(BASE64.encodeToString(ecSecret), found.get("ecFromRaw"));
    assertEquals(BASE64.encodeToString(ecSecret), found.get("ecAesKey"), "a 256-bit key is the secret's 256 bits");
    ECPublicKey myPublic = (ECPublicKey) ecMine.getPublic();
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    // the private key came as PKCS #8 without its public point: the export computes it
    assertEquals(url.encodeToString(WebCrypto.unsigned(myPublic.getW().getAffineX(), 32)) + "."
        + url.encodeToString(WebCrypto.unsigned(myPublic.getW().getAffineY(), 32)), found.get("ecJwk"));
    assertEquals(BASE64.encodeToString(agree("X25519", xMine, xTheirs)), found.get("x"));
    assertEquals("true", found.get("generatedAgree"));
    assertEquals("0|deriveBits", found.get("generatedUsages"));
    assertEquals("InvalidAccessError", found.get("otherCurve"));
    assertEquals("InvalidAccessError", found.get("notEcdhPublic"));
    assertEquals("InvalidAccessError", found.get("wrongAlgorithm"));
    assertEquals("TypeError", found.get("noPublic"));
    assertEquals("OperationError", found.get("tooLong"));
    assertEquals("SyntaxError", found.get("publicUsage"));
    assertEquals("SyntaxError", found.get("noPrivateUsage"));
  }

  @Test
  void rsaOaepEncryptsWhatTheJdkDecryptsAndDecryptsWhatItEncrypts() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    OAEPParameterSpec sha256 = new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
        new PSource.PSpecified("label".getBytes(StandardCharsets.UTF_8)));
    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    cipher.init(Cipher.ENCRYPT_MODE, pair.getPublic(), sha256);
    byte[] fromJdk = cipher.doFinal(DATA);
    Map<String, String> found = run("""
        const oaep = {name: 'RSA-OAEP', hash: 'SHA-256'};
        const label = new TextEncoder().encode('label');
        const pub = await s.importKey('spki', b64(event.spki), oaep, true, ['encrypt']);
        const priv = await s.importKey('pkcs8', b64(event.pkcs8), oaep, false, ['decrypt']);
        found.encrypted = out(await s.encrypt({name: 'RSA-OAEP', label}, pub, data));
        found.decrypted = new TextDecoder().decode(await s.decrypt({name: 'RSA-OAEP', label}, priv,
            b64(event.fromJdk)));
        found.wrongLabel = await failure(() => s.decrypt({name: 'RSA-OAEP'}, priv, b64(event.fromJdk)));
        const tampered = b64(event.fromJdk);
        tampered[10] ^= 1;
        found.tampered = await failure(() => s.decrypt({name: 'RSA-OAEP', label}, priv, tampered));
        found.decryptWithPublic = await failure(() => s.decrypt({name: 'RSA-OAEP', label}, pub, b64(event.fromJdk)));
        const pair = await s.generateKey({name: 'RSA-OAEP', modulusLength: 2048,
            publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-1'}, true, ['encrypt', 'decrypt', 'wrapKey']);
        found.roundTrip = new TextDecoder().decode(await s.decrypt('RSA-OAEP', pair.privateKey,
            await s.encrypt('RSA-OAEP', pair.publicKey, data)));
        found.usages = pair.publicKey.usages.join() + '|' + pair.privateKey.usages.join();
        found.alg = (await s.exportKey('jwk', pair.publicKey)).alg + ' ' + (await s.exportKey('jwk', pub)).alg;
        found.tooSmall = await failure(() => s.generateKey({name: 'RSA-OAEP', modulusLength: 512,
            publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'}, true, ['encrypt', 'decrypt']));
        found.tooLarge = await failure(() => s.generateKey({name: 'RSA-OAEP', modulusLength: 8192,
            publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'}, true, ['encrypt', 'decrypt']));
        found.exponent3 = await failure(() => s.generateKey({name: 'RSA-OAEP', modulusLength: 2048,
            publicExponent: new Uint8Array([3]), hash: 'SHA-256'}, true, ['encrypt', 'decrypt']));
        found.signUsage = await failure(() => s.generateKey({name: 'RSA-OAEP', modulusLength: 2048,
            publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'}, true, ['sign']));
        found.privateAsSpki = await failure(() => s.exportKey('spki', pair.privateKey));
        found.rsaRaw = await failure(() => s.exportKey('raw', pair.publicKey));
        found.notExtractable = await failure(() => s.exportKey('pkcs8', priv));
        found.unknownFormat = await failure(() => s.exportKey('pem', pair.publicKey));
        found.otherCurve = await failure(() => s.generateKey({name: 'ECDSA', namedCurve: 'P-192'}, true, ['sign']));
        """, Map.of("spki", BASE64.encodeToString(pair.getPublic().getEncoded()),
        "pkcs8", BASE64.encodeToString(pair.getPrivate().getEncoded()), "fromJdk", BASE64.encodeToString(fromJdk)));
    cipher.init(Cipher.DECRYPT_MODE, pair.getPrivate(), sha256);
    assertArrayEquals(DATA, cipher.doFinal(DECODE.decode(found.get("encrypted"))));
    assertEquals("signed payload", found.get("decrypted"));
    assertEquals("OperationError", found.get("wrongLabel"));
    assertEquals("OperationError", found.get("tampered"));
    assertEquals("InvalidAccessError", found.get("decryptWithPublic"));
    assertEquals("signed payload", found.get("roundTrip"));
    assertEquals("encrypt,wrapKey|decrypt", found.get("usages"));
    assertEquals("RSA-OAEP RSA-OAEP-256", found.get("alg"));
    assertEquals("OperationError", found.get("tooSmall"));
    assertEquals("OperationError", found.get("tooLarge"));
    assertEquals("NotSupportedError", found.get("exponent3"));
    assertEquals("SyntaxError", found.get("signUsage"));
    assertEquals("InvalidAccessError", found.get("privateAsSpki"));
    assertEquals("InvalidAccessError", found.get("rsaRaw"));
    assertEquals("InvalidAccessError", found.get("notExtractable"));
    assertEquals("NotSupportedError", found.get("unknownFormat"));
    assertEquals("NotSupportedError", found.get("otherCurve"));
  }

  private static byte[] agree(String algorithm, KeyPair mine, KeyPair theirs) throws Exception {
    KeyAgreement agreement = KeyAgreement.getInstance(algorithm);
    agreement.init(mine.getPrivate());
    agreement.doPhase(theirs.getPublic(), true);
    return agreement.generateSecret();
  }
}
