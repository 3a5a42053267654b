package trading.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link of the project's Markdown (the README, {@code docs/}, the modules' own
 * READMEs) leads somewhere: the file exists, and a {@code #fragment} into a Markdown file names
 * one of its headings, as GitHub makes their anchors. The README links out to the docs by topic,
 * so a moved or renamed page must fail the build, not a reader.
 */
class DocLinksTest {

    /** {@code [text](target)} and {@code ![alt](target)}, the target without spaces. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("^\\s*```");

    @Test
    void everyRelativeLinkOfTheDocsLeadsToAFileAndAHeading() throws IOException {
        List<Path> pages = pages();
        assertTrue(pages.contains(ServiceModules.HOME.resolve("README.md")), "the README is checked: " + pages);
        assertTrue(pages.size() > 10, "the docs by topic are checked: " + pages);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(page)) {
                if (target.matches("^[a-zA-Z][a-zA-Z+.-]*:.*")) {
                    continue; // http:, https:, mailto: go outside the repository
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String fragment = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ServiceModules.HOME.relativize(page) + ": " + target + " (no such file)");
                } else if (fragment != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(fragment)) {
                    broken.add(ServiceModules.HOME.relativize(page) + ": " + target + " (no such heading in "
                            + ServiceModules.HOME.relativize(resolved) + ")");
                }
            }
        }
        assertTrue(checked > 50, "links were found: " + checked);
        assertEquals(List.of(), broken, "broken relative links");
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        assertEquals("deploy-to-kubernetes-with-strimzi", anchor("Deploy to Kubernetes (with Strimzi)"));
        assertEquals("measure-it-bench-and-chaos", anchor("Measure it: bench and chaos"));
        assertEquals("risk-gate-kill-switch-and-the-fix-broker", anchor("Risk gate, kill switch and the FIX broker"));
        assertEquals("run-with-docker-compose", anchor("Run with `docker-compose`"));
    }

    /** The README, every page under docs/, and each module's README. */
    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ServiceModules.HOME.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ServiceModules.HOME.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        try (Stream<Path> modules = Files.list(ServiceModules.HOME)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                for (Path readme : List.of(module.resolve("README.md"), module.resolve("contracts/README.md"))) {
                    if (Files.exists(readme)) {
                        pages.add(readme);
                    }
                }
            }
        }
        return pages;
    }

    /** The lines of a page outside fenced code blocks: where links and headings are. */
    private static List<String> prose(Path page) throws IOException {
        List<String> prose = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (FENCE.matcher(line).find()) {
                code = !code;
            } else if (!code) {
                prose.add(line);
            }
        }
        return prose;
    }

    /** The link targets of a page, outside fenced code. */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher link = LINK.matcher(line);
            while (link.find()) {
                targets.add(link.group(1));
            }
        }
        return targets;
    }

    /** The anchors of a page's headings; a repeated heading gets -1, -2 … as on GitHub. */
    private static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : prose(page)) {
            if (line.startsWith("#")) {
                String base = anchor(line.replaceFirst("^#+\\s*", ""));
                String name = base;
                for (int n = 1; !anchors.add(name); n++) {
                    name = base + "-" + n;
                }
            }
        }
        return anchors;
    }

    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
