package dev.gan4j.autograd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for the part of Graphviz's DOT language that {@link GraphDot} writes: one
 * {@code digraph} of node statements {@code id [k=v, ...];}, edge statements {@code a -> b;} and default
 * attributes {@code node [...];}. It rejects anything else, an edge to an undeclared node, and a node
 * declared twice, so a test that parses the output checks that it is well-formed.
 */
final class DotParser {

    record Edge(String from, String to) {}

    record Graph(Map<String, Map<String, String>> nodes, List<Edge> edges) {
        String label(String node) {
            return nodes.get(node).get("label");
        }
    }

    private final String text;
    private int pos;

    private DotParser(String text) {
        this.text = text;
    }

    static Graph parse(String text) {
        return new DotParser(text).graph();
    }

    private Graph graph() {
        expect("digraph");
        id();
        expect("{");
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        while (!peek().equals("}")) {
            String first = id();
            if (first.equals("node") || first.equals("edge") || first.equals("graph")) {
                attributes();
            } else if (peek().equals("->")) {
                expect("->");
                edges.add(new Edge(first, id()));
                if (peek().equals("[")) attributes();
            } else {
                Map<String, String> attrs = peek().equals("[") ? attributes() : Map.of();
                if (nodes.put(first, attrs) != null) throw error("node " + first + " declared twice");
            }
            expect(";");
        }
        expect("}");
        skipSpace();
        if (pos != text.length()) throw error("text after the graph");
        for (Edge e : edges) {
            if (!nodes.containsKey(e.from()) || !nodes.containsKey(e.to())) throw error("edge " + e + " to an undeclared node");
        }
        return new Graph(nodes, edges);
    }

    private Map<String, String> attributes() {
        expect("[");
        Map<String, String> attrs = new LinkedHashMap<>();
        while (!peek().equals("]")) {
            String key = id();
            expect("=");
            attrs.put(key, id());
            if (peek().equals(",")) expect(",");
        }
        expect("]");
        return attrs;
    }

    /** A name, a number or a quoted string (returned unquoted, with DOT's escapes resolved). */
    private String id() {
        skipSpace();
        if (pos >= text.length()) throw error("unexpected end");
        char c = text.charAt(pos);
        if (c == '"') return quoted();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "_.".indexOf(text.charAt(pos)) >= 0)) pos++;
        if (start == pos) throw error("expected a name, found '" + c + "'");
        return text.substring(start, pos);
    }

    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') return out.toString();
            if (c == '\n') throw error("raw newline in a string");
            if (c == '\\') {
                if (pos >= text.length()) throw error("unterminated escape");
                char escaped = text.charAt(pos++);
                out.append(escaped == 'n' ? '\n' : escaped);
            } else {
                out.append(c);
            }
        }
    }

    private String peek() {
        skipSpace();
        if (pos >= text.length()) throw error("unexpected end");
        if (text.startsWith("->", pos)) return "->";
        return String.valueOf(text.charAt(pos));
    }

    private void expect(String token) {
        skipSpace();
        if (!text.startsWith(token, pos)) throw error("expected '" + token + "'");
        pos += token.length();
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("DOT parse error at offset " + pos + ": " + what);
    }
}
