package io.codesous.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/** A read-only channel over one bundle file's bytes, which {@link BundleFileSystem} opens for module loading. */
final class ReadOnlyChannel implements SeekableByteChannel {
  private final byte[] content;
  private int position;
  private boolean open = true;

  ReadOnlyChannel(byte[] content) {
    this.content = content;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (position >= content.length) {
      return -1;
    }
    int count = Math.min(dst.remaining(), content.length - position);
    dst.put(content, position, count);
    position += count;
    return count;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    position = (int) Math.min(newPosition, content.length);
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return content.length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }
}
