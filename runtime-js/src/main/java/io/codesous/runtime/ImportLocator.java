package io.codesous.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places an import failure in the bundle's source. The engine reports a failed link without a position ("Cannot find
 * module 'lib/missing.mjs' imported from index.mjs", "The requested module './x.mjs' does not provide an export
 * named 'y'"), so the import statement is found by the module name the message quotes: in the importing module when
 * the message names it, else in the entry and then in every other module. A problem it cannot place is returned as
 * it was.
 */
final class ImportLocator {

  private static final Pattern IMPORTER = Pattern.compile("imported from (\\S+)");
  private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

  private ImportLocator() {
  }

  static ModuleProblem locate(ModuleProblem problem, Map<String, byte[]> files, String entryName) {
    Matcher quoted = QUOTED.matcher(problem.message());
    if (!quoted.find()) {
      return problem;
    }
    String module = quoted.group(1);
    String lastSegment = module.substring(module.lastIndexOf('/') + 1);
    Matcher importer = IMPORTER.matcher(problem.message());
    List<String> candidates = new ArrayList<>();
    if (importer.find()) {
      candidates.add(importer.group(1));
    }
    candidates.add(entryName);
    files.keySet().stream().filter(name -> !name.endsWith(".json")).forEach(candidates::add);
    // a string literal in an import or export ... from, ending with the module's last path segment
    Pattern statement = Pattern.compile("(?:\\bfrom|\\bimport)\\s*\\(?\\s*(['\"])(?:[^'\"\\n]*/)?"
        + Pattern.quote(lastSegment) + "\\1");
    for (String candidate : candidates) {
      byte[] content = files.get(candidate);
      if (content == null) {
        content = new BundleFileSystem(files).content(BundleFileSystem.pathOf(candidate));
      }
      if (content == null) {
        continue;
      }
      String text = new String(content, StandardCharsets.UTF_8);
      Matcher found = statement.matcher(text);
      if (found.find()) {
        int at = found.start(1);
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int line = 1 + (int) text.substring(0, lineStart).chars().filter(c -> c == '\n').count();
        return new ModuleProblem(BundleFileSystem.pathOf(candidate).toString().substring(1), line,
            at - lineStart + 1, problem.message());
      }
    }
    return problem;
  }
}
