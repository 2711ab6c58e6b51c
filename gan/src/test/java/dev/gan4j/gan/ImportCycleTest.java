package dev.gan4j.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layering rules, read from the main sources of every module (the build runs tests in a
 * module's folder, so the project root is {@code ..}). A class may depend on a class of another
 * package only if that package never depends back: every strongly connected component of the
 * class graph lies inside one package. Classes of one package may refer to each other freely
 * ({@code Variable} and {@code Node} do). And {@code gan} never reaches into the CPU backend's
 * internals, {@code dev.gan4j.tensor.cpu}: thread count and device go through {@code Backends}.
 */
class ImportCycleTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.gan4j(?:\\.[a-z]\\w*)+)\\.([A-Z]\\w*)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern IMPORT_LINE = Pattern.compile("^import .*$", Pattern.MULTILINE);

    /** One main source file: its class name, package and text without comments. */
    record Source(String name, String pkg, String code) {
        String qualified() {
            return pkg + "." + name;
        }
    }

    @Test
    void noCycleCrossesAPackageBoundary() {
        List<Source> sources = mainSources();
        assertTrue(sources.size() > 100, "found only " + sources.size() + " main sources under " + ROOT.toAbsolutePath());
        Map<String, Set<String>> graph = classGraph(sources);
        List<String> crossPackage = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            Set<String> packages = new TreeSet<>();
            for (String c : component) packages.add(c.substring(0, c.lastIndexOf('.')));
            if (packages.size() > 1) crossPackage.add(new TreeSet<>(component).toString());
        }
        assertEquals(List.of(), crossPackage, "class cycles spanning packages");
    }

    @Test
    void ganDoesNotImportTheCpuBackend() {
        List<String> offenders = mainSources().stream()
                .filter(s -> s.pkg().startsWith("dev.gan4j.gan"))
                .filter(s -> s.code().contains("dev.gan4j.tensor.cpu."))
                .map(Source::qualified).toList();
        assertEquals(List.of(), offenders, "gan classes using dev.gan4j.tensor.cpu");
    }

    private static List<Source> mainSources() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
                    .filter(p -> p.toString().endsWith(".java"))
                    .map(ImportCycleTest::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source read(Path file) {
        try {
            String code = COMMENT.matcher(Files.readString(file)).replaceAll("");
            Matcher pkg = PACKAGE.matcher(code);
            assertTrue(pkg.find(), "no package line in " + file);
            String name = file.getFileName().toString().replace(".java", "");
            return new Source(name, pkg.group(1), code);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Edges from each class to the classes it names: by qualified name, or by simple name in its own package. */
    private static Map<String, Set<String>> classGraph(List<Source> sources) {
        Map<String, Set<String>> namesByPackage = new HashMap<>();
        Set<String> known = new HashSet<>();
        for (Source s : sources) {
            namesByPackage.computeIfAbsent(s.pkg(), k -> new HashSet<>()).add(s.name());
            known.add(s.qualified());
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources) {
            Set<String> edges = graph.computeIfAbsent(s.qualified(), k -> new TreeSet<>());
            Matcher m = QUALIFIED.matcher(s.code());
            while (m.find()) {
                String target = m.group(1) + "." + m.group(2);
                if (known.contains(target)) edges.add(target);
            }
            String body = IMPORT_LINE.matcher(s.code()).replaceAll("");
            for (String sibling : namesByPackage.get(s.pkg())) {
                if (Pattern.compile("\\b" + sibling + "\\b").matcher(body).find()) edges.add(s.pkg() + "." + sibling);
            }
            edges.remove(s.qualified());
        }
        return graph;
    }

    /** Tarjan's algorithm, iterative so deep graphs cannot overflow the stack. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String root : graph.keySet()) {
            if (index.containsKey(root)) continue;
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {root, graph.get(root).iterator()});
            index.put(root, index.size());
            low.put(root, index.get(root));
            stack.push(root);
            onStack.add(root);
            while (!work.isEmpty()) {
                String v = (String) work.peek()[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<String> it = (java.util.Iterator<String>) work.peek()[1];
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, index.size());
                        low.put(w, index.get(w));
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, graph.getOrDefault(w, Set.of()).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = (String) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new HashSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    components.add(component);
                }
            }
        }
        return components;
    }
}
