package io.codesous.control;

import io.codesous.http.JsonBodies;
import io.codesous.runtime.ModuleCheck;
import io.codesous.runtime.ModuleProblem;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.model.Manifest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Turns a draft upload into a manifest and a bundle whose modules load, or refuses it naming the field: for the draft
 * route of the lifecycle API, and for {@code cs run}, which refuses what a deployment would refuse.
 */
public final class DraftDecoder {

  private final ModuleCheck modules;
  private final ControlOptions options;

  public DraftDecoder(ModuleCheck modules, ControlOptions options) {
    this.modules = modules;
    this.options = options;
  }

  public record Draft(Manifest manifest, BundleFiles bundle) {
  }

  /**
   * Decodes and validates an upload, its modules parsed and linked (never run) by the sandbox's {@link ModuleCheck};
   * runs on the {@link ValidationPool}, its cost growing with the body.
   */
  public Draft decode(String contentType, Buffer raw) {
    JsonObject body = JsonBodies.object(contentType, raw, Set.of("files", "manifest"));
    if (!(body.getValue("files") instanceof JsonObject files)) {
      throw CsException.validation("files", "must be an object of path to content");
    }
    Object rawManifest = body.getValue("manifest");
    if (rawManifest != null && !(rawManifest instanceof JsonObject)) {
      throw CsException.validation("manifest", "must be an object");
    }
    Manifest manifest = Manifest.parse((JsonObject) rawManifest, options.getMaxTimeoutMs());
    BundleFiles bundle = BundleFiles.fromUpload(files, options.getMaxBundleBytes());
    if (!bundle.contains(manifest.entry())) {
      throw CsException.validation("manifest.entry", "names no file of the bundle: " + manifest.entry());
    }
    // a module that cannot load would fail every activation: refuse it here, where its author is listening
    ModuleProblem problem = modules.check(bundle.files(), manifest.entry()).orElse(null);
    if (problem != null) {
      String path = "files[\"" + problem.file() + "\"]";
      String place = problem.line() == 0 ? "" : "line " + problem.line()
          + (problem.column() == 0 ? "" : ", column " + problem.column()) + ": ";
      throw new CsException(ErrorCode.CS_VALIDATION_FAILED, path + ": " + place + problem.message(),
          new JsonObject().put("path", path).put("file", problem.file())
              .put("line", problem.line()).put("column", problem.column()).put("reason", problem.message()));
    }
    return new Draft(manifest, bundle);
  }
}
