package dev.gan4j.cuda;

import java.util.List;

/**
 * One candidate of cuDNN's algorithm heuristics ({@code cudnnGet*Algorithm_v7}), in the order cuDNN ranks
 * them, and the rule that picks one: the best that ran the query successfully, fits the workspace limit
 * and, in deterministic mode, is deterministic.
 */
record ConvAlgorithm(int algo, int status, long workspace, boolean deterministic) {

    static final long WORKSPACE_LIMIT = 1L << 30;

    static int choose(String pass, List<ConvAlgorithm> ranked, boolean deterministicOnly) {
        for (ConvAlgorithm a : ranked) {
            if (a.status == 0 && a.workspace <= WORKSPACE_LIMIT && (a.deterministic || !deterministicOnly)) return a.algo;
        }
        throw new IllegalStateException("cuDNN: no " + (deterministicOnly ? "deterministic " : "") + pass
                + " algorithm within " + (WORKSPACE_LIMIT >> 20) + " MiB of workspace among " + ranked);
    }
}
