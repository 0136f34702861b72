package io.codesous.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/** {@code cs drafts upload NAME DIR}: a bundle uploaded and validated, not yet a version. */
@Command(name = "drafts",
    footer = {"", "Examples:",
        "  cs drafts upload --tenant acme hello ./hello",
        "  cs drafts upload --tenant acme hello ./hello --manifest hello.json | jq -r .draft_id"},
    mixinStandardHelpOptions = true,
    description = "Upload drafts: a function's files, validated and kept for a day until published.",
    subcommands = {DraftsCommand.Upload.class})
final class DraftsCommand extends CliCommand {

  @Override
  protected int execute() {
    spec.commandLine().usage(err());
    return CliException.USAGE;
  }

  @Command(name = "upload", mixinStandardHelpOptions = true,
      description = {"Upload DIR as a draft of function NAME and print the draft (its draft_id, sha256, size).",
          "Every file under DIR is uploaded (text as is, other files base64), except names starting with '.'."},
      footer = {"", "Examples:",
          "  cs drafts upload --tenant acme hello ./hello",
          "  cs drafts upload --tenant acme hello ./hello --manifest hello.json -o json | jq -r .draft_id"})
  static final class Upload extends ListingCommand {
    @Mixin
    Target target;

    @Parameters(index = "0", paramLabel = "NAME", description = "Function name (it must exist)")
    String name;

    @Parameters(index = "1", paramLabel = "DIR", description = "Directory holding the function's files")
    Path dir;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Manifest (JSON); default: the platform's")
    Path manifest;

    @Override
    protected int execute() throws CliException {
      JsonObject body = new JsonObject().put("files", BundleFiles.read(dir));
      if (manifest != null) {
        body.put("manifest", ManifestFile.read(manifest));
      }
      return printRow(client().postJson(FunctionsCommand.functionPath(target, name) + "/drafts", body),
          java.util.List.of("draft_id", "sha256", "size_bytes", "expires_at_ms"));
    }
  }
}
