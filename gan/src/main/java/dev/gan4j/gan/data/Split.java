package dev.gan4j.gan.data;

/** The two halves of a dataset with an official train/test division. */
public enum Split {
    TRAIN, TEST;

    /** Lower-case, as used in dataset names: "train" or "test". */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
