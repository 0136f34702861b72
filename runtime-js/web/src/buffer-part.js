  lazy('Buffer', () => webBuffer.Buffer);
})
