package io.codesous.bench;

import io.codesous.platform.BackendNames;
import io.codesous.platform.PlatformOptions;

import java.nio.file.Path;

/** Starts each shape with the settings it is measured with. */
final class ShapeLauncher {

  private final String host;
  private final Path runDir;
  private final SharedBackends backends;

  /** @param backends null when no shape of the run uses Redis and Kafka */
  ShapeLauncher(String host, Path runDir, SharedBackends backends) {
    this.host = host;
    this.runDir = runDir;
    this.backends = backends;
  }

  RunningShape start(Shape shape) throws Exception {
    if (shape.usesSharedBackends() && backends == null) {
      throw new IllegalStateException("Redis and Kafka are not available");
    }
    Path shapeDir = runDir.resolve(shape.label());
    return switch (shape) {
      case EMBEDDED -> InProcessPlatform.start(inProcessOptions(shapeDir));
      case EMBEDDED_DISK -> InProcessPlatform.start(inProcessOptions(shapeDir).setKvPersistent(true));
      case SINGLE -> InProcessPlatform.start(inProcessOptions(shapeDir)
          .setKvBackend(BackendNames.KV_REDIS).setRedis(backends.redisSettings())
          .setCodeqBackend(BackendNames.CODEQ_KAFKA).setKafka(backends.kafkaSettings()));
      case SPLIT -> SplitProcesses.start(host, shapeDir, backends);
    };
  }

  private PlatformOptions inProcessOptions(Path shapeDir) {
    // A concrete port: asked for port 0 the platform would deploy a single HTTP instance.
    return new PlatformOptions().setHost(host).setPort(FreePort.pick()).setDataDir(shapeDir.resolve("data").toString());
  }
}
