package dev.gan4j.gan.model;

/** The network families a run can use. */
public enum Architecture {
    /** Fully connected G 100-256-512-1024-784 and D 784-512-256-1, the classic MNIST GAN. */
    MLP,
    /** Transposed convolutions + batch norm in G, strided convolutions + batch norm in D (Radford et al.). */
    DCGAN,
    /** Nearest upsampling + 3x3 convolutions in G; a critic ending in global average pooling and a linear layer. */
    UPSAMPLE
}
