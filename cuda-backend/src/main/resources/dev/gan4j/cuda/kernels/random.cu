// Philox4x32-10 draws, element by element: the same arithmetic as dev.gan4j.tensor.Philox.value, so a key
// and counter give the CPU's numbers. Element i is word i % 4 of block counter + i / 4 (the block is
// recomputed per element: threads stay independent). Uniform: 24 bits; normal: Box-Muller on words
// (0, 1) and (2, 3), in double, rounded once.

#define PHILOX_UNIFORM 0

__device__ void philox_block(unsigned int c[4], unsigned int k0, unsigned int k1) {
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        unsigned long long p0 = (unsigned long long) 0xD2511F53u * c[0];
        unsigned long long p1 = (unsigned long long) 0xCD9E8D57u * c[2];
        unsigned int n0 = (unsigned int) (p1 >> 32) ^ c[1] ^ k0;
        unsigned int n2 = (unsigned int) (p0 >> 32) ^ c[3] ^ k1;
        c[0] = n0;
        c[1] = (unsigned int) p1;
        c[2] = n2;
        c[3] = (unsigned int) p0;
    }
}

extern "C" __global__ void philox_fill(float* out, long long n, int distribution, unsigned long long key,
                                       unsigned long long counter, double a, double b) {
    GRID_STRIDE_LOOP(i, n) {
        unsigned long long block = counter + (unsigned long long) i / 4;
        unsigned int w[4] = {(unsigned int) block, (unsigned int) (block >> 32), 0u, 0u};
        philox_block(w, (unsigned int) key, (unsigned int) (key >> 32));
        int lane = (int) (i % 4);
        if (distribution == PHILOX_UNIFORM) {
            float f = (float) (a + (b - a) * ((double) (w[lane] >> 8) * 0x1.0p-24));
            out[i] = f >= (float) b ? nextafterf((float) b, -INFINITY) : f;
        } else {
            int even = lane & ~1;
            double u1 = ((double) w[even] + 1.0) * 0x1.0p-32;
            double u2 = (double) w[even + 1] * 0x1.0p-32;
            double radius = sqrt(-2.0 * log(u1));
            double angle = 2.0 * 3.141592653589793 * u2;
            out[i] = (float) (a + b * radius * (lane == even ? cos(angle) : sin(angle)));
        }
    }
}
