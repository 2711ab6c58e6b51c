package dev.gan4j.autograd;

/**
 * Which values an op's backward rule reads, so an in-place write to one of them between forward and
 * backward is reported instead of silently producing a wrong gradient (PyTorch's saved tensors).
 */
public enum Saves {
    NOTHING, INPUTS, OUTPUT, INPUTS_AND_OUTPUT;

    boolean inputs() { return this == INPUTS || this == INPUTS_AND_OUTPUT; }
    boolean output() { return this == OUTPUT || this == INPUTS_AND_OUTPUT; }
}
