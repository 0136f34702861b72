  // node:zlib's host calls (node/zlib.mjs), the ones CompressionStream makes: its results are Buffers, so it reaches
  // them through the part it needs anyway, under a symbol of Buffer, which no list of names shows (through
  // CompressionStream, a strict activation that gzipped a body paid about 2 ms more for the streams part, which it
  // does not use). Each answers { bytes } (and the running checksum) or { why }.
  const { defineProperty, freeze, fromLatin1, host, toLatin1 } = web;
  const zlib = freeze({
    compress(format, bytes, first, last, checksum, total, level) {
      const answer = host.compress(format, toLatin1(bytes), first, last, checksum, total, level);
      if (answer.charAt(0) !== '+') {
        return { why: answer.slice(1) };
      }
      const colon = answer.indexOf(':');
      return { checksum: +answer.slice(1, colon), bytes: fromLatin1(answer.slice(colon + 1)) };
    },
    decompress(format, bytes) {
      const answer = host.decompress(format, toLatin1(bytes));
      return answer.charAt(0) === '+' ? { bytes: fromLatin1(answer.slice(1)) } : { why: answer.slice(1) };
    },
  });
  lazy('Buffer', () => defineProperty(webBuffer.Buffer, Symbol.for('code-sous.node:zlib'), { value: zlib }));
})
