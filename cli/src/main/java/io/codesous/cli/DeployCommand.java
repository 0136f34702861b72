package io.codesous.cli;

import io.codesous.spec.error.CsException;
import io.codesous.spec.model.Manifest;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code cs deploy NAME DIR}: the three API steps of shipping code in one command — create the
 * function if it does not exist yet, upload DIR as a draft, publish the draft as the next version.
 */
@Command(name = "deploy",
    footer = {"", "Examples:",
        "  cs deploy --tenant acme hello ./hello --alias prod",
        "  cs deploy --tenant acme hello ./hello --manifest hello.json"},
    mixinStandardHelpOptions = true,
    description = {"Upload a directory as a new version of a function (creating the function if needed) "
        + "and print the published version and its sha256.",
        "Every file under DIR is uploaded (text as is, other files base64), except names starting with '.'."})
final class DeployCommand extends ClientCommand {

  @Mixin
  Target target;

  @Parameters(index = "0", paramLabel = "NAME", description = "Function name")
  String name;

  @Parameters(index = "1", paramLabel = "DIR", description = "Directory holding the function's files")
  Path dir;

  @Option(names = "--alias", paramLabel = "ALIAS", description = "Point this alias at the new version")
  String alias;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "Manifest (JSON), e.g. {\"entry\":\"index.mjs\",\"limits\":{\"timeoutMs\":5000}}; "
          + "default: the platform's defaults")
  Path manifest;

  @Override
  protected int execute() throws CliException {
    JsonObject files = BundleFiles.read(dir);
    JsonObject draftRequest = new JsonObject().put("files", files);
    if (manifest != null) {
      draftRequest.put("manifest", ManifestFile.read(manifest));
    }
    checkManifest(draftRequest.getJsonObject("manifest"), files);
    String functionPath = FunctionsCommand.functionPath(target, name);

    ApiClient.Response existing = client().get(functionPath);
    if (existing.status() == 404) {
      ApiClient.Response created = client().postJson(FunctionsCommand.functionsPath(target),
          new JsonObject().put("name", name));
      if (created.ok()) {
        err().println("cs: created function " + target.tenant + "/" + target.namespace + "/" + name);
      } else if (created.status() != 409) {
        // 409: created meanwhile by someone else, which is as good
        return fail(created);
      }
    } else if (!existing.ok()) {
      return fail(existing);
    }

    ApiClient.Response draft = client().postJson(functionPath + "/drafts", draftRequest);
    if (!draft.ok()) {
      return fail(draft);
    }
    JsonObject publish = new JsonObject().put("draft_id", jsonObject(draft).getString("draft_id"));
    if (alias != null) {
      publish.put("alias", alias);
    }
    return print(client().postJson(functionPath + "/versions", publish));
  }

  /**
   * Checks the manifest with the server's own rules before anything is created, so a mistake in it does not leave
   * a new function without a version behind (the server checks it again, and the modules, at upload).
   */
  private void checkManifest(JsonObject json, JsonObject files) throws CliException {
    String what = manifest == null ? "the default manifest" : "--manifest " + manifest;
    Manifest parsed;
    try {
      parsed = Manifest.parse(json);
    } catch (CsException invalid) {
      throw CliException.usage(what + ": " + invalid.getMessage());
    }
    String entry = parsed.entry().startsWith("./") ? parsed.entry().substring(2) : parsed.entry();
    if (!files.containsKey(entry)) {
      throw CliException.usage(what + ": the entry module " + parsed.entry() + " is not a file under " + dir
          + (manifest == null ? " (name another with --manifest and its \"entry\")" : ""));
    }
  }
}
