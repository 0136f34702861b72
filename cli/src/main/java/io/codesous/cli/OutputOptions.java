package io.codesous.cli;

import picocli.CommandLine.Option;

/** {@code --output json|table}: table on a terminal, JSON when piped, unless chosen. */
final class OutputOptions {

  enum Format { json, table }

  @Option(names = {"-o", "--output"}, paramLabel = "json|table",
      description = "Output format (default: table on a terminal, json when piped)")
  Format format;

  boolean table() {
    return format != null ? format == Format.table : Terminal.attached();
  }
}
