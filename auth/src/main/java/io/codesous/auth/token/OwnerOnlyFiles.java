package io.codesous.auth.token;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files only their owner can read ({@code 600}) where the file system has POSIX permissions.
 *
 * <p>The file is created with its final permissions and then renamed into place, so there is no
 * moment in which the content exists under looser permissions, and a reader never sees it half
 * written.
 */
public final class OwnerOnlyFiles {

  static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {
  }

  static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    FileAttribute<?>[] attributes = posix()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
        : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Writes {@code content} to {@code target} only if no file is there yet, atomically: of several processes
   * creating the same file at once, exactly one succeeds and the others see its complete content.
   *
   * @return whether this call created the file
   */
  public static boolean writeNew(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    FileAttribute<?>[] attributes = posix()
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
        : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attributes);
    try {
      Files.write(temp, content);
      try {
        // A hard link never replaces an existing name, unlike a rename.
        Files.createLink(target, temp);
        return true;
      } catch (FileAlreadyExistsException taken) {
        return false;
      } catch (UnsupportedOperationException noLinks) {
        try {
          Files.move(temp, target);
          return true;
        } catch (FileAlreadyExistsException taken) {
          return false;
        }
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Narrows an existing file to {@code 600} if it is readable by others; reports whether it changed. */
  public static boolean restrict(Path file) throws IOException {
    if (!posix()) {
      return false;
    }
    if (Files.getPosixFilePermissions(file).equals(OWNER_READ_WRITE)) {
      return false;
    }
    Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
    return true;
  }
}
