package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static io.codesous.runtime.WebCrypto.unsigned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code crypto.subtle} beyond digests and verification: AES-GCM and AES-CBC, PBKDF2 and HKDF, generated and exported
 * secret keys, and signatures with imported private keys. Expected bytes are the published test vectors (GCM's test
 * case 4, SP 800-38A F.2.1, RFC 6070, RFC 5869), which another WebCrypto implementation (Node.js's) gives as well;
 * signatures are checked by the JDK from outside the sandbox.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebCryptoKeysTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static String run(String body, String event) {
    return assertSuccessBody(runtime.execute(TestRequest.asyncHandler(body).event(event).build()));
  }

  private static void assertChecks(String checks, int expectedCount) {
    GuestChecks.assertChecks(runtime.get(), """
        const s = crypto.subtle;
        const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
        const h = (x) => Uint8Array.from(x.match(/../g) || [], (p) => parseInt(p, 16));
        const utf8 = (x) => new TextEncoder().encode(x);
        const failure = async (f) => { try { await f(); return 'none'; } catch (e) { return e.name; } };
        """, checks, expectedCount);
  }

  @Test
  void aesGcmAndAesCbcEncryptToThePublishedVectorsAndRefuseWhatWasTamperedWith() {
    assertChecks("""
        const key = await s.importKey('raw', h('feffe9928665731c6d6a8f9467308308'), 'AES-GCM', true,
            ['encrypt', 'decrypt']);
        const iv = h('cafebabefacedbaddecaf888');
        const additionalData = h('feedfacedeadbeeffeedfacedeadbeefabaddad2');
        const plain = h('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24'
            + '49a6b525b16aedf5aa0de657ba637b39');
        const sealed = await s.encrypt({name: 'AES-GCM', iv, additionalData}, key, plain);
        t.push(['gcm ciphertext and tag', hex(sealed), '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329ac'
            + 'a12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47']);
        t.push(['gcm opens', hex(await s.decrypt({name: 'AES-GCM', iv, additionalData}, key, sealed)), hex(plain)]);
        const flipped = new Uint8Array(sealed);
        flipped[3] ^= 1;
        t.push(['a changed byte does not open', await failure(() => s.decrypt({name: 'AES-GCM', iv, additionalData},
            key, flipped)), 'OperationError']);
        t.push(['other additional data does not open', await failure(() => s.decrypt({name: 'AES-GCM', iv,
            additionalData: h('00')}, key, sealed)), 'OperationError']);
        t.push(['an empty plaintext seals to the tag alone', (await s.encrypt({name: 'AES-GCM', iv}, key,
            new Uint8Array(0))).byteLength, 16]);
        t.push(['a 96-bit tag', (await s.encrypt({name: 'AES-GCM', iv, tagLength: 96}, key, plain)).byteLength,
            plain.length + 12]);
        t.push(['a 32-bit tag is not supported', await failure(() => s.encrypt({name: 'AES-GCM', iv, tagLength: 32},
            key, plain)), 'NotSupportedError']);
        t.push(['no iv', await failure(() => s.encrypt({name: 'AES-GCM'}, key, plain)), 'TypeError']);
        const cbc = await s.importKey('jwk', {kty: 'oct', k: 'K34VFiiu0qar9xWICc9PPA'}, {name: 'AES-CBC'}, false,
            ['encrypt', 'decrypt']);
        const cbcIv = h('000102030405060708090a0b0c0d0e0f');
        const block = await s.encrypt({name: 'AES-CBC', iv: cbcIv}, cbc, h('6bc1bee22e409f96e93d7e117393172a'));
        t.push(['cbc block and its padding', hex(block),
            '7649abac8119b246cee98e9b12e9197d8964e0b149c10b7b682e6e39aaeb731c']);
        t.push(['cbc opens', hex(await s.decrypt({name: 'AES-CBC', iv: cbcIv}, cbc, block)),
            '6bc1bee22e409f96e93d7e117393172a']);
        t.push(['cbc needs a 16-byte iv', await failure(() => s.encrypt({name: 'AES-CBC', iv: h('00')}, cbc,
            block)), 'OperationError']);
        t.push(['a key for one mode is not the other\\'s', await failure(() => s.encrypt({name: 'AES-CBC', iv: cbcIv},
            key, plain)), 'InvalidAccessError']);
        t.push(['a key of 17 bytes', await failure(() => s.importKey('raw', new Uint8Array(17), 'AES-GCM', false,
            ['encrypt'])), 'DataError']);
        t.push(['an AES key cannot sign', await failure(() => s.importKey('raw', new Uint8Array(16), 'AES-GCM', false,
            ['sign'])), 'SyntaxError']);
        const decryptOnly = await s.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['decrypt']);
        t.push(['a decrypt-only key cannot encrypt', await failure(() => s.encrypt({name: 'AES-GCM', iv}, decryptOnly,
            plain)), 'InvalidAccessError']);
        """, 15);
  }

  @Test
  void aesCtrAndAesKwMatchThePublishedVectorsAndTheCounterWrapsWithinItsBits() throws Exception {
    // a counter whose 8 counting bits are at 0xff: the second block runs from ...ee00, not from ...ef00
    byte[] key = HexFormat.of().parseHex("2b7e151628aed2a6abf7158809cf4f3c");
    byte[] first = HexFormat.of().parseHex("000102030405060708090a0b0c0d0eff");
    byte[] second = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e00");
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    String wrappedStream = HexFormat.of().formatHex(ecb.doFinal(first)) + HexFormat.of().formatHex(ecb.doFinal(second));
    assertChecks("""
        const ctr = await s.importKey('raw', h('2b7e151628aed2a6abf7158809cf4f3c'), 'AES-CTR', true,
            ['encrypt', 'decrypt']);
        const counter = h('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
        const plain = h('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51');
        const sealed = await s.encrypt({name: 'AES-CTR', counter, length: 64}, ctr, plain);
        t.push(['ctr blocks (SP 800-38A F.5.1)', hex(sealed),
            '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff']);
        t.push(['ctr opens', hex(await s.decrypt({name: 'AES-CTR', counter, length: 64}, ctr, sealed)), hex(plain)]);
        const zeros = new Uint8Array(32);
        t.push(['the counter wraps within its 8 bits', hex(await s.encrypt({name: 'AES-CTR',
            counter: h('000102030405060708090a0b0c0d0eff'), length: 8}, ctr, zeros)), '%s']);
        t.push(['a counter that would repeat', await failure(() => s.encrypt({name: 'AES-CTR', counter, length: 1},
            ctr, new Uint8Array(48))), 'OperationError']);
        t.push(['a counter length of 0', await failure(() => s.encrypt({name: 'AES-CTR', counter, length: 0}, ctr,
            plain)), 'OperationError']);
        t.push(['an A128CTR jwk', (await s.exportKey('jwk', ctr)).alg, 'A128CTR']);
        const kek = await s.importKey('raw', h('000102030405060708090a0b0c0d0e0f'), 'AES-KW', false,
            ['wrapKey', 'unwrapKey']);
        const inner = await s.importKey('raw', h('00112233445566778899aabbccddeeff'), 'AES-GCM', true,
            ['encrypt']);
        const wrapped = await s.wrapKey('raw', inner, kek, 'AES-KW');
        t.push(['kw wraps (RFC 3394 4.1)', hex(wrapped), '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5']);
        const unwrapped = await s.unwrapKey('raw', wrapped, kek, 'AES-KW', 'AES-GCM', true, ['decrypt']);
        t.push(['kw unwraps to the key', hex(await s.exportKey('raw', unwrapped)) + ' ' + unwrapped.usages,
            '00112233445566778899aabbccddeeff decrypt']);
        const tampered = new Uint8Array(wrapped);
        tampered[0] ^= 1;
        t.push(['a changed wrapped key does not unwrap', await failure(() => s.unwrapKey('raw', tampered, kek,
            'AES-KW', 'AES-GCM', true, ['decrypt'])), 'OperationError']);
        t.push(['kw does not encrypt', await failure(() => s.encrypt('AES-KW', kek, plain)), 'InvalidAccessError']);
        t.push(['a key that is not extractable is not wrapped', await failure(() => s.wrapKey('raw', kek, kek,
            'AES-KW')), 'InvalidAccessError']);
        const hmac = await s.importKey('raw', utf8('hmac key'), {name: 'HMAC', hash: 'SHA-256'}, true, ['sign']);
        const gcm = await s.generateKey({name: 'AES-GCM', length: 256}, false, ['wrapKey', 'unwrapKey']);
        const iv = new Uint8Array(12);
        const jwkWrapped = await s.wrapKey('jwk', hmac, gcm, {name: 'AES-GCM', iv});
        const back = await s.unwrapKey('jwk', jwkWrapped, gcm, {name: 'AES-GCM', iv}, {name: 'HMAC',
            hash: 'SHA-256'}, false, ['sign']);
        t.push(['a jwk wrapped with AES-GCM signs as before', hex(await s.sign('HMAC', back, utf8('x'))),
            hex(await s.sign('HMAC', hmac, utf8('x')))]);
        const bytesWrapped = await s.wrapKey('raw', hmac, gcm, {name: 'AES-GCM', iv});
        t.push(['raw bytes are not a jwk', await failure(() => s.unwrapKey('jwk', bytesWrapped, gcm,
            {name: 'AES-GCM', iv}, {name: 'HMAC', hash: 'SHA-256'}, false, ['sign'])), 'DataError']);
        """.formatted(wrappedStream), 13);
  }

  @Test
  void pbkdf2AndHkdfDeriveThePublishedBitsAndKeysThatWork() {
    assertChecks("""
        const password = await s.importKey('raw', utf8('password'), 'PBKDF2', false, ['deriveBits', 'deriveKey']);
        t.push(['pbkdf2 sha-1 4096', hex(await s.deriveBits({name: 'PBKDF2', salt: utf8('salt'), iterations: 4096,
            hash: 'SHA-1'}, password, 160)), '4b007901b765489abead49d926f721d065a429c1']);
        t.push(['pbkdf2 sha-256 1', hex(await s.deriveBits({name: 'PBKDF2', salt: utf8('salt'), iterations: 1,
            hash: 'SHA-256'}, password, 256)), '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b']);
        const binary = await s.importKey('raw', h('ff00e9'), 'PBKDF2', false, ['deriveBits']);
        t.push(['a password of any bytes, over two blocks', hex(await s.deriveBits({name: 'PBKDF2', salt: h('0001'),
            iterations: 3, hash: 'SHA-512'}, binary, 200)), 'e27856932c53468ecf1ca72b5cd887258011accc5abb0d9fcc']);
        const empty = await s.importKey('raw', new Uint8Array(0), 'PBKDF2', false, ['deriveBits']);
        t.push(['an empty password', hex(await s.deriveBits({name: 'PBKDF2', salt: utf8('salt'), iterations: 2,
            hash: 'SHA-256'}, empty, 128)), '62384466264daadc4144018c6bd86464']);
        t.push(['beyond 100000 iterations', await failure(() => s.deriveBits({name: 'PBKDF2', salt: utf8('salt'),
            iterations: 100001, hash: 'SHA-256'}, password, 256)), 'NotSupportedError']);
        t.push(['a length that is not whole bytes', await failure(() => s.deriveBits({name: 'PBKDF2',
            salt: utf8('salt'), iterations: 1, hash: 'SHA-256'}, password, 12)), 'OperationError']);
        t.push(['a PBKDF2 key cannot be extractable', await failure(() => s.importKey('raw', utf8('p'), 'PBKDF2', true,
            ['deriveBits'])), 'SyntaxError']);
        const ikm = await s.importKey('raw', h('0b'.repeat(22)), 'HKDF', false, ['deriveBits']);
        t.push(['hkdf rfc 5869 case 1', hex(await s.deriveBits({name: 'HKDF', hash: 'SHA-256',
            salt: h('000102030405060708090a0b0c'), info: h('f0f1f2f3f4f5f6f7f8f9')}, ikm, 336)),
            '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865']);
        t.push(['hkdf rfc 5869 case 3, no salt and no info', hex(await s.deriveBits({name: 'HKDF', hash: 'SHA-256',
            salt: new Uint8Array(0), info: new Uint8Array(0)}, ikm, 336)),
            '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8']);
        t.push(['hkdf beyond 255 blocks', await failure(() => s.deriveBits({name: 'HKDF', hash: 'SHA-256',
            salt: new Uint8Array(0), info: new Uint8Array(0)}, ikm, 8 * 32 * 256)), 'OperationError']);
        t.push(['a deriveBits-only key derives no key', await failure(() => s.deriveKey({name: 'HKDF',
            hash: 'SHA-256', salt: new Uint8Array(0), info: new Uint8Array(0)}, ikm, {name: 'AES-GCM', length: 128},
            false, ['encrypt'])), 'InvalidAccessError']);
        const aes = await s.deriveKey({name: 'PBKDF2', salt: utf8('salt'), iterations: 1, hash: 'SHA-256'}, password,
            {name: 'AES-GCM', length: 256}, true, ['encrypt', 'decrypt']);
        t.push(['a derived AES key holds the derived bits', hex(await s.exportKey('raw', aes)),
            '120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b']);
        const iv = new Uint8Array(12);
        t.push(['and encrypts', new TextDecoder().decode(await s.decrypt({name: 'AES-GCM', iv}, aes,
            await s.encrypt({name: 'AES-GCM', iv}, aes, utf8('sealed')))), 'sealed']);
        const mac = await s.deriveKey({name: 'PBKDF2', salt: utf8('salt'), iterations: 1, hash: 'SHA-256'}, password,
            {name: 'HMAC', hash: 'SHA-256'}, false, ['sign']);
        t.push(['a derived HMAC key is as long as its hash block', mac.algorithm.length, 512]);
        """, 14);
  }

  @Test
  void cryptoAndSubtleCryptoAreInterfacesThatCannotBeConstructed() {
    assertChecks("""
        t.push(['crypto is a Crypto', crypto instanceof Crypto, true]);
        t.push(['crypto.subtle is a SubtleCrypto', s instanceof SubtleCrypto, true]);
        t.push(['tags', Object.prototype.toString.call(crypto) + Object.prototype.toString.call(s),
            '[object Crypto][object SubtleCrypto]']);
        t.push(['a function cannot make a Crypto', await failure(() => new Crypto()), 'TypeError']);
        t.push(['nor a SubtleCrypto', await failure(() => new SubtleCrypto()), 'TypeError']);
        t.push(['the methods are on the prototype', typeof SubtleCrypto.prototype.digest + ' '
            + Object.keys(s).length, 'function 0']);
        t.push(['a detached getRandomValues still works', (({getRandomValues}) => getRandomValues(new Uint8Array(4))
            .length)(crypto), 4]);
        """, 7);
  }

  @Test
  void generatedSecretKeysAreRandomAndExportAsJwk() {
    assertChecks("""
        const a = await s.generateKey({name: 'AES-GCM', length: 256}, true, ['encrypt', 'decrypt']);
        const b = await s.generateKey({name: 'AES-GCM', length: 256}, true, ['encrypt', 'decrypt']);
        const rawA = hex(await s.exportKey('raw', a));
        t.push(['256 bits', rawA.length, 64]);
        t.push(['two keys differ', rawA !== hex(await s.exportKey('raw', b)), true]);
        const jwk = await s.exportKey('jwk', a);
        t.push(['jwk', jwk.kty + ' ' + jwk.alg + ' ' + jwk.ext + ' ' + jwk.key_ops.join(), 'oct A256GCM true '
            + 'encrypt,decrypt']);
        const again = await s.importKey('jwk', jwk, 'AES-GCM', true, ['encrypt']);
        t.push(['the jwk imports as the same key', hex(await s.exportKey('raw', again)), rawA]);
        const hmac = await s.generateKey({name: 'HMAC', hash: 'SHA-512'}, false, ['sign', 'verify']);
        t.push(['an HMAC key as long as its hash block', hmac.algorithm.length + ' ' + hmac.algorithm.hash.name,
            '1024 SHA-512']);
        const signed = await s.sign('HMAC', hmac, utf8('x'));
        t.push(['it signs and verifies', await s.verify('HMAC', hmac, signed, utf8('x')), true]);
        t.push(['a non-extractable key stays inside', await failure(() => s.exportKey('raw', hmac)),
            'InvalidAccessError']);
        const hs = await s.exportKey('jwk', await s.importKey('raw', utf8('k'), {name: 'HMAC', hash: 'SHA-256'}, true,
            ['sign']));
        t.push(['an HMAC jwk', hs.alg + ' ' + hs.k, 'HS256 aw']);
        t.push(['an AES key of 100 bits', await failure(() => s.generateKey({name: 'AES-CBC', length: 100}, true,
            ['encrypt'])), 'OperationError']);
        t.push(['an algorithm that is not there', await failure(() => s.generateKey({name: 'Ed448'}, true,
            ['sign'])), 'NotSupportedError']);
        """, 10);
  }

  @Test
  void privateKeysImportedAsPkcs8OrJwkSignWhatTheJdkVerifies() throws Exception {
    byte[] data = "signed payload".getBytes(StandardCharsets.UTF_8);
    KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
    ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ec = ecGenerator.generateKeyPair();
    KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
    rsaGenerator.initialize(2048);
    KeyPair rsa = rsaGenerator.generateKeyPair();
    RSAPrivateCrtKey rsaPrivate = (RSAPrivateCrtKey) rsa.getPrivate();
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    Base64.Encoder plain = Base64.getEncoder();
    ECPublicKey ecPublic = (ECPublicKey) ec.getPublic();
    String event = "{\"ecPkcs8\":\"" + plain.encodeToString(ec.getPrivate().getEncoded()) + "\",\"ecX\":\""
        + url.encodeToString(unsigned(ecPublic.getW().getAffineX(), 32)) + "\",\"ecY\":\""
        + url.encodeToString(unsigned(ecPublic.getW().getAffineY(), 32)) + "\",\"ecD\":\""
        + url.encodeToString(unsigned(((ECPrivateKey) ec.getPrivate()).getS(), 32)) + "\",\"rsaPkcs8\":\""
        + plain.encodeToString(rsaPrivate.getEncoded()) + "\",\"n\":\"" + url.encodeToString(unsigned(
        rsaPrivate.getModulus(), 256)) + "\",\"e\":\"" + url.encodeToString(rsaPrivate.getPublicExponent()
        .toByteArray()) + "\",\"d\":\"" + url.encodeToString(unsigned(rsaPrivate.getPrivateExponent(), 256))
        + "\",\"p\":\"" + url.encodeToString(unsigned(rsaPrivate.getPrimeP(), 128)) + "\",\"q\":\""
        + url.encodeToString(unsigned(rsaPrivate.getPrimeQ(), 128)) + "\",\"dp\":\""
        + url.encodeToString(unsigned(rsaPrivate.getPrimeExponentP(), 128)) + "\",\"dq\":\""
        + url.encodeToString(unsigned(rsaPrivate.getPrimeExponentQ(), 128)) + "\",\"qi\":\""
        + url.encodeToString(unsigned(rsaPrivate.getCrtCoefficient(), 128)) + "\"}";
    String body = run("""
        const s = crypto.subtle;
        const b64 = (x) => Uint8Array.from(atob(x), (c) => c.charCodeAt(0));
        const out = (b) => btoa(String.fromCharCode(...new Uint8Array(b)));
        const data = new TextEncoder().encode('signed payload');
        const ecdsa = {name: 'ECDSA', namedCurve: 'P-256'};
        const ecPkcs8 = await s.importKey('pkcs8', b64(event.ecPkcs8), ecdsa, false, ['sign']);
        const ecJwk = await s.importKey('jwk', {kty: 'EC', crv: 'P-256', d: event.ecD, x: event.ecX, y: event.ecY},
            ecdsa, false, ['sign']);
        const pkcs1 = {name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256'};
        const rsaPkcs8 = await s.importKey('pkcs8', b64(event.rsaPkcs8), pkcs1, false, ['sign']);
        const rsaJwk = await s.importKey('jwk', {kty: 'RSA', n: event.n, e: event.e, d: event.d, p: event.p,
            q: event.q, dp: event.dp, dq: event.dq, qi: event.qi}, pkcs1, false, ['sign']);
        const rsaNoCrt = await s.importKey('jwk', {kty: 'RSA', n: event.n, e: event.e, d: event.d}, pkcs1, false,
            ['sign']);
        const pss = await s.importKey('pkcs8', b64(event.rsaPkcs8), {name: 'RSA-PSS', hash: 'SHA-256'}, false,
            ['sign']);
        const failure = async (f) => { try { await f(); return 'none'; } catch (e) { return e.name; } };
        const found = {
          ecPkcs8: out(await s.sign({name: 'ECDSA', hash: 'SHA-256'}, ecPkcs8, data)),
          ecJwk: out(await s.sign({name: 'ECDSA', hash: 'SHA-256'}, ecJwk, data)),
          rsaPkcs8: out(await s.sign(pkcs1, rsaPkcs8, data)),
          rsaJwk: out(await s.sign(pkcs1, rsaJwk, data)),
          rsaNoCrt: out(await s.sign(pkcs1, rsaNoCrt, data)),
          pss: out(await s.sign({name: 'RSA-PSS', saltLength: 32}, pss, data)),
          described: ecPkcs8.type + ' ' + ecPkcs8.algorithm.namedCurve + ' ' + rsaJwk.algorithm.modulusLength,
          wrongCurve: await failure(() => s.importKey('pkcs8', b64(event.ecPkcs8), {name: 'ECDSA',
              namedCurve: 'P-384'}, false, ['sign'])),
          privateCannotVerify: await failure(() => s.importKey('pkcs8', b64(event.ecPkcs8), ecdsa, false,
              ['verify'])),
          notAKey: await failure(() => s.importKey('pkcs8', new Uint8Array(40), ecdsa, false, ['sign'])),
          notExported: await failure(() => s.exportKey('pkcs8', rsaJwk)),
        };
        return {statusCode: 200, body: Object.entries(found).map(([k, v]) => k + '=' + v).join('\\n')};
        """, event);
    Map<String, String> signed = new HashMap<>();
    for (String line : body.split("\n")) {
      String[] pair = line.split("=", 2);
      signed.put(pair[0], pair[1]);
    }
    Base64.Decoder decoder = Base64.getDecoder();
    for (String name : new String[] {"ecPkcs8", "ecJwk"}) {
      Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
      verifier.initVerify(ec.getPublic());
      verifier.update(data);
      assertTrue(verifier.verify(decoder.decode(signed.get(name))), name + " verifies");
    }
    Signature pkcs1 = Signature.getInstance("SHA256withRSA");
    pkcs1.initSign(rsa.getPrivate());
    pkcs1.update(data);
    String expected = Base64.getEncoder().encodeToString(pkcs1.sign());
    // PKCS #1 v1.5 signatures are deterministic: every import of the key gives the JDK's own bytes
    assertEquals(expected, signed.get("rsaPkcs8"));
    assertEquals(expected, signed.get("rsaJwk"));
    assertEquals(expected, signed.get("rsaNoCrt"));
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    pss.initVerify(rsa.getPublic());
    pss.update(data);
    assertTrue(pss.verify(decoder.decode(signed.get("pss"))), "the RSA-PSS signature verifies");
    assertEquals("private P-256 " + ((RSAPublicKey) rsa.getPublic()).getModulus().bitLength(),
        signed.get("described"));
    assertEquals("DataError", signed.get("wrongCurve"));
    assertEquals("SyntaxError", signed.get("privateCannotVerify"));
    assertEquals("DataError", signed.get("notAKey"));
    assertEquals("InvalidAccessError", signed.get("notExported"));
  }
}
